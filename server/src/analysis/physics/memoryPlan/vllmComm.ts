/**
 * Which tensor-parallel all-reduce vLLM sets up, and so which communication buffers count against the KV
 * cache. vllm/distributed/device_communicators/custom_all_reduce.py enables its custom all-reduce only for
 * world sizes 2, 4, 6, 8, refuses "more than two PCIe-only GPUs" (needs full NVLink above 2), and then
 * requires GPU peer-to-peer access (`_can_p2p`); GeForce cards have no PCIe P2P, so there it stays NCCL
 * over host memory. The ledger shows the difference: H100 (NVLink) TP 2 adds 1.79 GiB of non-torch memory,
 * two RTX 4090 at TP 2 add none (server/data/measurements/startup.csv).
 */
import type { HardwareSpec } from '../../catalog/types';

export interface AllReduceChoice {
	/** vLLM's custom all-reduce (and NVLink NCCL buffers) in use. */
	custom: boolean;
	why: string;
}

const SUPPORTED_WORLD_SIZES = [2, 4, 6, 8];

/** GPUs every pair of which is linked (NVSwitch, Infinity Fabric mesh); a bridge links pairs only. */
function fullyLinked(hw: Pick<HardwareSpec, 'interconnect'>, tp: number): boolean {
	const name = hw.interconnect?.name ?? '';
	if (!/NVLink|Infinity Fabric/i.test(name)) return false;
	return !/bridge/i.test(name) || tp <= 2;
}

/** GeForce consumer cards (RTX 3090/4090/5090 …): the driver exposes no PCIe peer-to-peer access. */
function hasPcieP2p(hw: Pick<HardwareSpec, 'id' | 'name'>): boolean {
	return !/^rtx-\d{4}/i.test(hw.id) && !/geforce/i.test(hw.name);
}

export function vllmAllReduce(
	hw: Pick<HardwareSpec, 'id' | 'name' | 'interconnect'>,
	tp: number,
): AllReduceChoice {
	if (tp <= 1) return { custom: false, why: 'TP 1: no all-reduce' };
	if (!SUPPORTED_WORLD_SIZES.includes(tp))
		return { custom: false, why: `custom all-reduce supports TP 2, 4, 6, 8 only (TP ${tp}): NCCL` };
	if (fullyLinked(hw, tp)) return { custom: true, why: `custom all-reduce over ${hw.interconnect?.name}` };
	if (tp > 2) return { custom: false, why: `custom all-reduce is off on more than two PCIe-only GPUs: NCCL` };
	if (!hasPcieP2p(hw))
		return {
			custom: false,
			why: `custom all-reduce is off without GPU peer-to-peer access (${hw.name}): NCCL`,
		};
	return { custom: true, why: 'custom all-reduce over PCIe peer-to-peer (two GPUs)' };
}
