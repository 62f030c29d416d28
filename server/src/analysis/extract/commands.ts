/**
 * Recognises the command lines that start an LLM engine, whatever file they are written in:
 * `vllm serve MODEL`, `python -m vllm.entrypoints.openai.api_server`, `llama-server`, `llama-cli`,
 * legacy `./main`/`./server`, `ollama run|pull TAG`, SGLang `python -m sglang.launch_server` and `sglang serve`,
 * and `docker|podman run … IMAGE args` where the image
 * decides the engine. Wrappers (`exec`, `env`, `nohup`, `sudo`, `uv run`, `sh -c "…"`, `docker exec`)
 * are looked through.
 */
import type { Finding, Framework, Setting, Span } from '../types';
import type { ArgMode } from './argv';
import type { EnvValue, Token } from './tokens';
import { subSpan, tokenSpan } from './tokens';
import { imageInfo, type ImageInfo } from './versions';

export interface CommandMatch {
	framework: Framework;
	/** Undefined for Ollama, whose commands carry only the model. */
	mode?: ArgMode;
	args: Token[];
	/** The program and subcommand, for messages. */
	programSpan: Span;
	/** Where a positional model would be inserted (after `serve`). */
	positionalAt?: number;
	/** Variables set for this command only: `VAR=x cmd`, `env VAR=x`, `docker run -e VAR=x`. */
	env: Map<string, EnvValue>;
	deviceCount?: Setting<number>;
	/** Set when `--gpus all` leaves the count to the host. */
	deviceNote?: string;
	image?: { token: Token; info: ImageInfo };
	/** Arguments are list items (JSON exec form, YAML lists): no fixes that insert between them. */
	structured?: boolean;
	/** A model named outside the arguments (KubeAI `url:`, Helm `modelURL:`); arguments may override it. */
	model?: Setting<string>;
	findings: Finding[];
}

const WRAPPERS = new Set([
	'exec',
	'nohup',
	'time',
	'nice',
	'command',
	'stdbuf',
	'taskset',
	'numactl',
	'eval',
]);
const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]*)=/;
/** `docker run` options that take a value (the image is the first word that is not one of these). */
const DOCKER_VALUE_OPTS = new Set(
	(
		'-a --attach --add-host --annotation --blkio-weight --cap-add --cap-drop --cgroup-parent --cgroupns --cidfile ' +
		'--cpu-period --cpu-quota --cpu-shares -c --cpus --cpuset-cpus --cpuset-mems --device --device-cgroup-rule ' +
		'--dns --dns-option --dns-search --domainname --entrypoint -e --env --env-file --expose --gpus --group-add ' +
		'--health-cmd --health-interval --health-retries --health-start-period --health-timeout -h --hostname --ip ' +
		'--ip6 --ipc --isolation --kernel-memory -l --label --label-file --link --log-driver --log-opt --mac-address ' +
		'-m --memory --memory-reservation --memory-swap --mount --name --network --net --network-alias --oom-score-adj ' +
		'--pid --pids-limit --platform -p --publish --pull --restart --runtime --security-opt --shm-size --stop-signal ' +
		'--stop-timeout --storage-opt --sysctl --tmpfs --ulimit -u --user --userns --uts -v --volume --volumes-from ' +
		'-w --workdir --hooks-dir --userns-size'
	).split(' '),
);

const basename = (p: string) => p.split('/').pop() ?? p;

function tokenValue(tok: Token, start = 0) {
	return { value: tok.text.slice(start), span: subSpan(tok, start, tok.text.length) };
}

function newMatch(
	framework: Framework,
	args: Token[],
	programSpan: Span,
	env: Map<string, EnvValue>,
): CommandMatch {
	return { framework, args, programSpan, env, findings: [] };
}

function joinSpan(a: Span, b: Span): Span {
	return { offset: a.offset, length: b.offset + b.length - a.offset };
}

/**
 * `sh -c "…"` and the like: the caller lexes the string into commands of its own. `positional` is what the
 * string sees as `$0`, `$1`…: the words after it on the `sh -c` line.
 */
export type InnerCommands = (tok: Token, positional?: Token[]) => Token[][];

export function matchCommand(
	tokens: Token[],
	inner?: InnerCommands,
	env: Map<string, EnvValue> = new Map(),
): CommandMatch | undefined {
	let i = 0;
	// Leading assignments and wrappers.
	for (;;) {
		const t = tokens[i];
		if (!t) return undefined;
		const m = ASSIGN.exec(t.text);
		if (m) {
			const v = tokenValue(t, m[0].length);
			env.set(m[1]!, {
				value: v.value,
				span: v.span,
				origin: 'set on the command line',
				keySpan: subSpan(t, 0, m[1]!.length),
			});
			i++;
		} else if (WRAPPERS.has(t.text) || t.text === 'env') i++;
		else if (t.text === 'sudo') {
			i++;
			while (tokens[i]?.text.startsWith('-')) i += tokens[i]!.text === '-u' ? 2 : 1;
		} else if (
			(t.text === 'uv' || t.text === 'poetry' || t.text === 'pipenv' || t.text === 'pdm') &&
			tokens[i + 1]?.text === 'run'
		) {
			i += 2;
			while (tokens[i]?.text.startsWith('-')) i++;
		} else break;
	}
	const prog = tokens[i]!;
	const name = basename(prog.text);
	const rest = tokens.slice(i + 1);

	if ((name === 'sh' || name === 'bash' || name === 'dash' || name === 'zsh') && inner) {
		const c = rest.findIndex((t) => /^-[a-z]*c[a-z]*$/.test(t.text));
		if (c >= 0 && rest[c + 1]) {
			const positional = rest.length > c + 2 ? rest.slice(c + 2) : undefined;
			for (const cmd of inner(rest[c + 1]!, positional)) {
				const hit = matchCommand(cmd, inner, new Map(env));
				if (hit) return hit;
			}
		}
		return undefined;
	}
	if (name === 'vllm') {
		const sub = rest[0];
		if (sub?.text !== 'serve') return undefined;
		const m = newMatch('vllm', rest.slice(1), joinSpan(prog.span, sub.span), env);
		m.mode = 'vllm-serve';
		m.positionalAt = sub.span.offset + sub.span.length;
		return m;
	}
	if (name === 'sglang' && rest[0]?.text === 'serve') {
		const m = newMatch('sglang', rest.slice(1), joinSpan(prog.span, rest[0].span), env);
		m.mode = 'sglang';
		return m;
	}
	if (/^python(\d(\.\d+)?)?$/.test(name)) {
		let k = 0;
		while (rest[k] && rest[k]!.text !== '-m' && rest[k]!.text.startsWith('-')) k++;
		const mod = rest[k]?.text === '-m' ? rest[k + 1] : undefined;
		if (mod?.text === 'sglang.launch_server') {
			const m = newMatch('sglang', rest.slice(k + 2), joinSpan(prog.span, mod.span), env);
			m.mode = 'sglang';
			return m;
		}
		if (mod?.text === 'llama_cpp.server') {
			const m = newMatch('llama.cpp', rest.slice(k + 2), joinSpan(prog.span, mod.span), env);
			m.mode = 'llama-python';
			return m;
		}
		if (!mod || !/^vllm\.entrypoints\.(openai\.)?api_server$/.test(mod.text)) {
			if (mod?.text === 'vllm.entrypoints.cli.main' && rest[k + 2]?.text === 'serve') {
				const m = newMatch('vllm', rest.slice(k + 3), joinSpan(prog.span, rest[k + 2]!.span), env);
				m.mode = 'vllm-serve';
				m.positionalAt = rest[k + 2]!.span.offset + rest[k + 2]!.span.length;
				return m;
			}
			return undefined;
		}
		const m = newMatch('vllm', rest.slice(k + 2), joinSpan(prog.span, mod.span), env);
		m.mode = 'vllm-module';
		return m;
	}
	const llama = llamaBinary(prog.text);
	if (llama) {
		const m = newMatch('llama.cpp', rest, prog.span, env);
		m.mode = 'llama';
		if (llama.legacy) m.findings.push(legacyBinaryFinding(prog, llama.legacy));
		return m;
	}
	if (name === 'ollama') {
		const sub = rest[0]?.text;
		if (sub !== 'run' && sub !== 'pull') return undefined;
		const model = rest.slice(1).find((t) => !t.text.startsWith('-'));
		if (!model) return undefined;
		return newMatch('ollama', [model], joinSpan(prog.span, rest[0]!.span), env);
	}
	if ((name === 'docker' || name === 'podman' || name === 'nerdctl') && rest[0]) {
		if (rest[0].text === 'run' || (rest[0].text === 'container' && rest[1]?.text === 'run'))
			return dockerRun(rest.slice(rest[0].text === 'run' ? 1 : 2), prog, inner, env);
		if (rest[0].text === 'exec') {
			let k = 1;
			while (rest[k]?.text.startsWith('-'))
				k += /^(-e|--env|-u|--user|-w|--workdir)$/.test(rest[k]!.text) ? 2 : 1;
			return matchCommand(rest.slice(k + 1), inner, env);
		}
	}
	return undefined;
}

/** `llama-server`, `./build/bin/llama-cli`, legacy `./main` / `./server` (renamed in 2024). */
function llamaBinary(p: string): { legacy?: string } | undefined {
	const b = basename(p).replace(/\.exe$/, '');
	if (b === 'llama-server' || b === 'llama-cli' || b === 'llama-completion') return {};
	if (p.includes('/') && (b === 'main' || b === 'server'))
		return { legacy: b === 'main' ? 'llama-cli' : 'llama-server' };
	return undefined;
}

function legacyBinaryFinding(prog: Token, modern: string): Finding {
	const b = basename(prog.text);
	const start = prog.text.length - b.length;
	const span = subSpan(prog, start, prog.text.length);
	return {
		code: 'deprecated-flag',
		severity: 'warning',
		message: `\`${b}\` is the pre-2024 llama.cpp binary name; current builds ship \`${modern}\` and no longer build \`${b}\`.`,
		span,
		data: { flag: b, replacement: modern },
		fixes: [{ title: `Rename to ${modern}`, edits: [{ span, newText: modern }] }],
	};
}

function dockerRun(args: Token[], prog: Token, inner: InnerCommands | undefined, env: Map<string, EnvValue>) {
	let k = 0;
	let gpus: Token | undefined;
	let gpusStart = 0;
	while (args[k] && args[k]!.text.startsWith('-')) {
		const t = args[k]!;
		const eq = t.text.indexOf('=');
		const opt = eq > 0 ? t.text.slice(0, eq) : t.text;
		const takesValue = DOCKER_VALUE_OPTS.has(opt) && eq < 0;
		const valueTok = takesValue ? args[k + 1] : t;
		const valueStart = takesValue ? 0 : eq + 1;
		if (opt === '--gpus' && valueTok) {
			gpus = valueTok;
			gpusStart = valueStart;
		}
		if ((opt === '-e' || opt === '--env') && valueTok) {
			const body = valueTok.text.slice(valueStart);
			const m = ASSIGN.exec(body);
			if (m) {
				const v = tokenValue(valueTok, valueStart + m[0].length);
				env.set(m[1]!, {
					value: v.value,
					span: v.span,
					origin: `docker ${opt}`,
					keySpan: subSpan(valueTok, valueStart, valueStart + m[1]!.length),
				});
			}
		}
		k += takesValue ? 2 : 1;
	}
	const image = args[k];
	if (!image) return undefined;
	const info = imageInfo(image.text);
	const after = args.slice(k + 1);
	let m: CommandMatch | undefined;
	if (after.length && (after[0]!.text === 'vllm' || /python|llama-|\/|^sh$|^bash$/.test(after[0]!.text)))
		m = matchCommand(after, inner, env);
	if (!m) {
		m = imageMatch(info, after, joinSpan(prog.span, image.span));
		if (m) m.env = env;
	}
	if (!m) return undefined;
	m.image = { token: image, info };
	if (gpus) Object.assign(m, gpuCount(gpus, gpusStart));
	return m;
}

/**
 * The llama-server/llama-cli arguments an image receives. The `:full` images take a tool switch first
 * (`--server`, `--run`), then that tool's flags; other switches (convert, quantize) start no server.
 */
export function llamaImageArgs(info: ImageInfo, args: Token[]): Token[] | undefined {
	if (!info.tag?.startsWith('full')) return args;
	return /^(--server|-s|--run|-r)$/.test(args[0]?.text ?? '') ? args.slice(1) : undefined;
}

/** A command line made of an engine image's own entrypoint plus `args` (CMD, compose `command:`, pod `args:`). */
export function imageMatch(
	info: ImageInfo | undefined,
	args: Token[],
	programSpan: Span,
): CommandMatch | undefined {
	if (info?.engine === 'vllm')
		return { ...newMatch('vllm', args, programSpan, new Map()), mode: 'vllm-image' };
	if (info?.engine !== 'llama.cpp') return undefined;
	const rest = llamaImageArgs(info, args);
	return rest ? { ...newMatch('llama.cpp', rest, programSpan, new Map()), mode: 'llama' } : undefined;
}

/** The variables that name llama-server's model: set in a container, they start llama-server whatever the image. */
const LLAMA_MODEL_ENV = ['LLAMA_ARG_MODEL', 'LLAMA_ARG_HF_REPO', 'LLAMA_ARG_MODEL_URL'];

/**
 * A container whose env names a llama.cpp model (`LLAMA_ARG_MODEL`, `LLAMA_ARG_HF_REPO`): only
 * llama.cpp's own argument parser reads LLAMA_ARG_*, so the container runs llama-server, configured by
 * its environment (custom or renamed images, llama-swap-style wrappers). The caller applies the env.
 */
export function llamaEnvMatch(
	env: ReadonlyMap<string, EnvValue>,
	args: Token[] = [],
): { match: CommandMatch; span: Span } | undefined {
	const name = LLAMA_MODEL_ENV.find((n) => env.get(n)?.value && env.get(n)!.exported !== false);
	if (!name) return undefined;
	const v = env.get(name)!;
	const span = v.keySpan ?? v.span;
	if (!span) return undefined;
	// Arguments that start with a flag are llama-server's own (an image whose entrypoint is llama-server).
	const m = newMatch('llama.cpp', args[0]?.text.startsWith('-') ? args : [], span, new Map());
	m.mode = 'llama';
	return { match: m, span };
}

/** `--gpus all` (host decides), `--gpus 2`, `--gpus '"device=0,1"'` → 2. */
export function gpuCount(tok: Token, start = 0): Pick<CommandMatch, 'deviceCount' | 'deviceNote'> {
	const text = tok.text.slice(start).replace(/^["']|["']$/g, '');
	const span = start ? subSpan(tok, start, tok.text.length) : tokenSpan(tok);
	if (/^all$/i.test(text))
		return { deviceNote: '`--gpus all` exposes every GPU on the host; the count is not in the file' };
	if (/^\d+$/.test(text))
		return { deviceCount: { value: Number(text), source: 'file', span, key: '--gpus' } };
	const dev = /device=([\d,\s]+)/.exec(text);
	if (dev) {
		const n = dev[1]!.split(',').filter((s) => s.trim()).length;
		return { deviceCount: { value: n, source: 'file', span, raw: tok.text.slice(start), key: '--gpus' } };
	}
	return {};
}
