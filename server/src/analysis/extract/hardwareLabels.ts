/**
 * Node labels that name a GPU model, mapped to catalog hardware ids. One table for every scheduler
 * spelling: NVIDIA GPU feature discovery (`nvidia.com/gpu.product`), GKE (`cloud.google.com/gke-accelerator`),
 * Karpenter on AWS (`karpenter.k8s.aws/instance-gpu-name`), and cloud instance types with their GPU count.
 */

/** Label keys whose value names the accelerator. */
export const GPU_LABEL_KEYS = [
	'nvidia.com/gpu.product',
	'cloud.google.com/gke-accelerator',
	'cloud.google.com/gke-tpu-accelerator',
	'karpenter.k8s.aws/instance-gpu-name',
	'node.kubernetes.io/instance-type',
	'beta.kubernetes.io/instance-type',
	'amd.com/gpu.product',
	'gpu-type',
	'accelerator',
] as const;

/** Label value (lowercased) → catalog hardware id. */
export const GPU_PRODUCT_LABELS: Record<string, string> = {
	// nvidia.com/gpu.product (GPU feature discovery)
	'nvidia-h100-80gb-hbm3': 'h100-sxm',
	'nvidia-h100-sxm5-80gb': 'h100-sxm',
	'nvidia-h100-pcie': 'h100-pcie',
	'nvidia-h100-80gb-pcie': 'h100-pcie',
	'nvidia-h100-nvl': 'h100-nvl',
	'nvidia-h200': 'h200',
	'nvidia-h200-141gb-hbm3e': 'h200',
	'nvidia-b200': 'b200',
	'nvidia-gb200': 'gb200',
	'tesla-v100-sxm2-32gb': 'v100-sxm2-32gb',
	'nvidia-geforce-rtx-3090': 'rtx-3090',
	'nvidia-a100-sxm4-80gb': 'a100-80gb-sxm',
	'nvidia-a100-80gb-pcie': 'a100-80gb-pcie',
	'nvidia-a100-sxm4-40gb': 'a100-40gb-sxm',
	'nvidia-l40s': 'l40s',
	'nvidia-l4': 'l4',
	'nvidia-a10g': 'a10g',
	'tesla-t4': 't4',
	'nvidia-tesla-t4': 't4',
	'nvidia-geforce-rtx-4090': 'rtx-4090',
	'nvidia-geforce-rtx-5090': 'rtx-5090',
	// cloud.google.com/gke-accelerator
	'nvidia-h100-80gb': 'h100-sxm',
	'nvidia-h100-mega-80gb': 'h100-sxm',
	'nvidia-h200-141gb': 'h200',
	'nvidia-a100-80gb': 'a100-80gb-sxm',
	'nvidia-tesla-a100': 'a100-40gb-sxm',
	// karpenter.k8s.aws/instance-gpu-name
	h100: 'h100-sxm',
	h200: 'h200',
	a100: 'a100-40gb-sxm',
	a10g: 'a10g',
	l4: 'l4',
	l40s: 'l40s',
	t4: 't4',
	// AMD
	'amd-instinct-mi300x': 'mi300x',
	mi300x: 'mi300x',
	'amd-instinct-mi325x': 'mi325x',
	// cloud.google.com/gke-tpu-accelerator
	'tpu-v6e-slice': 'tpu-v6e',
	'tpu-v5-lite-podslice': 'tpu-v5e',
	'tpu-v5-lite-device': 'tpu-v5e',
};

/** Cloud instance types → accelerator and how many the instance has. */
export const INSTANCE_TYPES: Record<string, { hardware: string; devices: number }> = {
	'p5.48xlarge': { hardware: 'h100-sxm', devices: 8 },
	'p5e.48xlarge': { hardware: 'h200', devices: 8 },
	'p5en.48xlarge': { hardware: 'h200', devices: 8 },
	'p4d.24xlarge': { hardware: 'a100-40gb-sxm', devices: 8 },
	'p4de.24xlarge': { hardware: 'a100-80gb-sxm', devices: 8 },
	'g6e.xlarge': { hardware: 'l40s', devices: 1 },
	'g6e.12xlarge': { hardware: 'l40s', devices: 4 },
	'g6e.48xlarge': { hardware: 'l40s', devices: 8 },
	'g6.xlarge': { hardware: 'l4', devices: 1 },
	'g6.12xlarge': { hardware: 'l4', devices: 4 },
	'g5.xlarge': { hardware: 'a10g', devices: 1 },
	'g5.12xlarge': { hardware: 'a10g', devices: 4 },
	'g5.48xlarge': { hardware: 'a10g', devices: 8 },
	'a3-highgpu-8g': { hardware: 'h100-sxm', devices: 8 },
	'a3-megagpu-8g': { hardware: 'h100-sxm', devices: 8 },
	'a2-ultragpu-1g': { hardware: 'a100-80gb-sxm', devices: 1 },
	'a2-highgpu-1g': { hardware: 'a100-40gb-sxm', devices: 1 },
	'g2-standard-4': { hardware: 'l4', devices: 1 },
	standard_nd96isr_h100_v5: { hardware: 'h100-sxm', devices: 8 },
};

/** The hardware a label names, or undefined. */
export function hardwareForLabel(
	key: string,
	value: string,
): { hardware: string; devices?: number } | undefined {
	const v = value.trim().toLowerCase();
	if (key.endsWith('instance-type')) return INSTANCE_TYPES[v];
	const id = GPU_PRODUCT_LABELS[v];
	return id ? { hardware: id } : undefined;
}
