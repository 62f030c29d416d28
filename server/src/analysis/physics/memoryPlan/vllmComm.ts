/**
 * Which tensor-parallel all-reduce vLLM sets up, and so which communication buffers count against the KV
 * cache. vllm/distributed/device_communicators/custom_all_reduce.py enables its custom all-reduce only for
 * world sizes 2, 4, 6, 8, refuses "more than two PCIe-only GPUs" (needs full NVLink above 2), and then
 * requires GPU peer-to-peer access (`_can_p2p`); GeForce cards have no PCIe P2P, so there it stays NCCL
 * over host memory.
 *
 * What the memory plan counts is a separate question. The custom all-reduce itself allocates little: a
 * meta buffer (meta_size + max_size), an IPC buffer (max_size) and rank_data (8 MiB), with max_size
 * 8192 × 1024 bytes — about 24 MiB per GPU (CustomAllreduce._complete_init). The 1.79 GiB the ledger measures
 * at TP 2 on an 80 GB NVLink GPU (PR #10511) is NCCL's NVLink transport; PCIe-only GPUs log none: two RTX 4090
 * at TP 2 (V0, 0.25 GiB non-torch) and eight L40S at TP 8 (V1 0.10.2, 0.21 GiB) in
 * server/data/measurements/startup.csv. So the buffers follow the link (NVLink or Infinity Fabric between every
 * pair, the test vLLM's is_fully_connected makes), not the custom all-reduce: two L40S over PCIe peer-to-peer
 * get the custom all-reduce but not the NVLink buffers.
 */
import type { HardwareSpec } from '../../catalog/types';

export interface AllReduceChoice {
	/** vLLM's custom all-reduce (and NVLink NCCL buffers) in use. */
	custom: boolean;
	/** The GPUs are linked pairwise by NVLink / Infinity Fabric, so NCCL's NVLink buffers are allocated. */
	nvlinkBuffers: boolean;
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
	if (tp <= 1) return { custom: false, nvlinkBuffers: false, why: 'TP 1: no all-reduce' };
	const nvlinkBuffers = fullyLinked(hw, tp);
	if (!SUPPORTED_WORLD_SIZES.includes(tp))
		return {
			custom: false,
			nvlinkBuffers,
			why: `custom all-reduce supports TP 2, 4, 6, 8 only (TP ${tp}): NCCL`,
		};
	if (nvlinkBuffers)
		return { custom: true, nvlinkBuffers, why: `custom all-reduce over ${hw.interconnect?.name}` };
	if (tp > 2)
		return {
			custom: false,
			nvlinkBuffers,
			why: `custom all-reduce is off on more than two PCIe-only GPUs: NCCL`,
		};
	if (!hasPcieP2p(hw))
		return {
			custom: false,
			nvlinkBuffers,
			why: `custom all-reduce is off without GPU peer-to-peer access (${hw.name}): NCCL`,
		};
	return {
		custom: true,
		nvlinkBuffers,
		why: 'custom all-reduce over PCIe peer-to-peer (two GPUs; its buffers are about 24 MiB, no NVLink buffers)',
	};
}
