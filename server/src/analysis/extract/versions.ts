/**
 * Engine versions pinned by the workspace: image tags (`vllm/vllm-openai:v0.8.5`,
 * `ghcr.io/ggml-org/llama.cpp:server-b4567`) and Python pins in sibling requirements.txt / pyproject.toml
 * read through the host. Versions compare numerically (`0.10.1` > `0.9.2`).
 */
import type { AnalysisHost, Setting } from '../types';

/** `v0.8.5`, `0.8.5.post1`, `0.6.3-cu121` → [0, 8, 5]; undefined when not a version. */
export function parseVersion(v: string): number[] | undefined {
	const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v.trim());
	if (!m) return undefined;
	return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/** Negative when a < b, 0 when equal, positive when a > b; undefined when either is not a version. */
export function compareVersions(a: string, b: string): number | undefined {
	const x = parseVersion(a);
	const y = parseVersion(b);
	if (!x || !y) return undefined;
	for (let k = 0; k < 3; k++) if (x[k] !== y[k]) return x[k]! - y[k]!;
	return 0;
}

/** Image reference → engine and version. */
export interface ImageInfo {
	engine: 'vllm' | 'llama.cpp' | 'ollama' | 'sglang' | undefined;
	/** The tag's version, e.g. `0.8.5` or `b4567`; undefined for `latest`, digests and such. */
	version?: string;
	/** Offset of the tag inside the image string, for spans. */
	tagStart?: number;
	tag?: string;
}

export function imageInfo(image: string): ImageInfo {
	const at = image.indexOf('@');
	const ref = at < 0 ? image : image.slice(0, at);
	const colon = ref.lastIndexOf(':');
	const hasTag = colon > ref.lastIndexOf('/');
	const repo = (hasTag ? ref.slice(0, colon) : ref).toLowerCase();
	const tag = hasTag ? ref.slice(colon + 1) : undefined;
	const name = repo.split('/').pop() ?? '';
	let engine: ImageInfo['engine'];
	if (/(^|\/)vllm-openai$|(^|\/)vllm$|vllm-openai-rocm|(^|\/)vllm-tpu|(^|\/)vllm-cpu/.test(repo))
		engine = 'vllm';
	else if (/llama\.cpp$|llama-cpp$|llama-server$|llama\.cpp-server/.test(repo)) engine = 'llama.cpp';
	else if (name === 'ollama') engine = 'ollama';
	else if (/(^|\/)sglang$/.test(repo)) engine = 'sglang';
	let version: string | undefined;
	if (tag) {
		const v = /^v?(\d+\.\d+(?:\.\d+)?)/.exec(tag);
		const b = /(?:^|-)(b\d{3,5})(?:-|$)/.exec(tag);
		version = v?.[1] ?? b?.[1];
	}
	return { engine, version, tag, tagStart: hasTag ? colon + 1 : undefined };
}

/** `vllm==0.8.5` in requirements.txt or pyproject.toml. */
const PIN = /(?:^|["'\s,[])vllm(?:\[[^\]]*\])?\s*===?\s*v?([0-9][0-9a-z.+-]*)/im;

function dirOf(p: string): string {
	const k = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
	return k < 0 ? '.' : p.slice(0, k);
}

/** `sglang==0.4.6` / `sglang[all]==0.4.6.post1` in requirements.txt or pyproject.toml. */
const SGLANG_PIN = /(?:^|["'\s,[])sglang(?:\[[^\]]*\])?\s*===?\s*v?([0-9][0-9a-z.+-]*)/im;

/**
 * The vLLM version pinned in requirements.txt / pyproject.toml next to the file or up to three folders
 * above it, read through the host (the core does no I/O of its own).
 */
export function pinnedVllmVersion(docPath: string, host?: AnalysisHost): Setting<string> | undefined {
	// Without a pin beside the file, the project config's (.inference-meter.yaml `engineVersion.vllm`).
	return pinnedVersion(docPath, PIN, host) ?? host?.projectPins?.vllm;
}

/** The SGLang version pinned the same way (`sglang==…`). */
export function pinnedSglangVersion(docPath: string, host?: AnalysisHost): Setting<string> | undefined {
	return pinnedVersion(docPath, SGLANG_PIN, host) ?? host?.projectPins?.sglang;
}

function pinnedVersion(docPath: string, pin: RegExp, host?: AnalysisHost): Setting<string> | undefined {
	if (!host?.readFile) return undefined;
	let dir = dirOf(docPath);
	// Named relative to the document (`requirements.txt`, `../pyproject.toml`), so the message is the same
	// whether the CLI was given a relative path or the editor an absolute one.
	let rel = '';
	for (let up = 0; up < 4; up++) {
		for (const name of ['requirements.txt', 'requirements-serve.txt', 'pyproject.toml']) {
			const file = `${dir}/${name}`;
			if (host.fileExists && !host.fileExists(file)) continue;
			const bytes = host.readFile(file, 256 * 1024);
			if (!bytes) continue;
			const m = pin.exec(new TextDecoder().decode(bytes));
			if (m) return { value: m[1]!, source: 'file', raw: m[0].trim(), note: `pinned in ${rel}${name}` };
		}
		const parent = dirOf(dir);
		if (parent === dir) break;
		dir = parent;
		rel += '../';
	}
	return undefined;
}
