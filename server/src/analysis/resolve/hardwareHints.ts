/**
 * Accelerators a file implies without naming a catalog label: AMD/ROCm (`HSA_*` and `HIP_VISIBLE_DEVICES` /
 * `ROCR_VISIBLE_DEVICES` variables, `rocm` images, the `/dev/kfd` device), Google TPUs (`google.com/tpu`
 * resources, `vllm-tpu` / TPU images, `--device tpu`), and AMD Instinct parts named in an image or a node
 * selector (`mi300x`, `mi325x`, `mi355x`). Read from the workload's own text (its command, container or
 * service), or the whole file when it holds one workload. A named part wins over a vendor guess; a vendor
 * guess names its stand-in in the note.
 */
import type { Framework } from '../types';

/**
 * The image-like word around a match (`rocm/vllm:latest`), found by walking out from it: a regex with a
 * leading `[\w./-]*` would rescan long runs of word characters from every start (quadratic on hostile
 * input).
 */
function tokenAround(m: RegExpExecArray): string {
	const text = m.input;
	const word = /[\w./:-]/;
	let a = m.index;
	let b = m.index + m[0].length;
	while (a > 0 && b - a < 200 && word.test(text[a - 1]!)) a--;
	while (b < text.length && b - a < 200 && word.test(text[b]!)) b++;
	return text.slice(a, b);
}

export interface HardwareHint {
	id: string;
	note: string;
	/** Devices the hint states (`HIP_VISIBLE_DEVICES=0,1`), when it does. */
	devices?: number;
}

/** Engines that run on datacenter accelerators, where a vendor alone picks that vendor's flagship. */
const SERVER_ENGINES = new Set<Framework>(['vllm', 'transformers']);

const INSTINCT = /\bmi(300x|325x|355x)\b/i;
const ROCM: [RegExp, (m: RegExpExecArray) => string][] = [
	[/\b(HIP_VISIBLE_DEVICES|ROCR_VISIBLE_DEVICES)\s*[=:]\s*["']?([\d,]+)/, (m) => `${m[1]}=${m[2]}`],
	[/\b(HSA_[A-Z_]+)\b/, (m) => m[1]!],
	[/rocm/i, (m) => `image ${tokenAround(m)}`],
	[/\/dev\/kfd\b/, () => 'the /dev/kfd device'],
];
const TPU: [RegExp, (m: RegExpExecArray) => string][] = [
	[/\bgoogle\.com\/tpu\b/, () => 'a google.com/tpu resource'],
	[/vllm-tpu|[-_/]tpu[-_:]/i, (m) => `image ${tokenAround(m)}`],
	[/--device[ =]["']?tpu\b/, () => '--device tpu'],
];

/**
 * `own`: the workload's text; `file`: the whole document. A part named anywhere in the file (a node
 * selector sits outside the container) beats a vendor guess from the workload's own text.
 */
export function hardwareHint(own: string, framework: Framework, file = own): HardwareHint | undefined {
	for (const text of [own, file]) {
		const named = INSTINCT.exec(text);
		if (named)
			return {
				id: `mi${named[1]!.toLowerCase()}`,
				note: `AMD Instinct MI${named[1]!.toUpperCase()} named in the file (${named[0]})`,
			};
	}
	if (!SERVER_ENGINES.has(framework)) return undefined;
	return vendorHint(own) ?? vendorHint(file);
}

function vendorHint(text: string): HardwareHint | undefined {
	for (const [re, what] of TPU) {
		const m = re.exec(text);
		if (m)
			return {
				id: 'tpu-v6e',
				note: `a TPU in the file (${what(m)}); the generation is not named, tpu-v6e stands in`,
			};
	}
	for (const [re, what] of ROCM) {
		const m = re.exec(text);
		if (!m) continue;
		const list = /^(HIP|ROCR)_VISIBLE_DEVICES$/.test(m[1] ?? '') ? m[2] : undefined;
		const devices = list ? list.split(',').filter(Boolean).length : undefined;
		return {
			id: 'mi300x',
			note: `ROCm in the file (${what(m)}); the model of AMD GPU is not named, mi300x stands in`,
			...(devices ? { devices } : {}),
		};
	}
	return undefined;
}
