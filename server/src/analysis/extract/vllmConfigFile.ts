/**
 * `vllm serve --config cfg.yaml`: the YAML's keys are engine args that apply under the command line
 * (CLI > config > defaults, config-surface.md §1.2). When the host can read the file, its settings fill
 * what the command leaves unset; they point at the `--config` value here and say which file they came from.
 */
import { isMap, isScalar, parse, parseDocument } from 'yaml';
import type { AnalysisHost } from '../types';
import { lookupFlag } from './argv';
import type { WorkloadBuilder } from './builder';
import { VLLM_FLAGS } from './flags/vllm';

function resolvePath(docPath: string, p: string): string {
	if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) return p;
	const k = Math.max(docPath.lastIndexOf('/'), docPath.lastIndexOf('\\'));
	return (k < 0 ? '.' : docPath.slice(0, k)) + '/' + p.replace(/^\.\//, '');
}

/** A file the document itself writes (a shell heredoc): its text and where that text starts in the document. */
export interface InlineFile {
	text: string;
	offset: number;
	/** For notes: `heredoc on line 3`. */
	origin: string;
}

/** Paths as the document writes them, resolved the way `--config` values are. */
export function inlineFileKey(docPath: string, p: string): string {
	return resolvePath(docPath, p);
}

export function applyVllmConfigFile(
	b: WorkloadBuilder,
	docPath: string,
	host?: AnalysisHost,
	inline?: ReadonlyMap<string, InlineFile>,
): void {
	const flag = b.flags.find((f) => f.canonical === 'config' && f.value);
	if (!flag?.value || !flag.valueSpan || !/\.ya?ml$/i.test(flag.value)) return;
	const file = resolvePath(docPath, flag.value);
	const written = inline?.get(file);
	if (written) return applyInline(b, flag.value, written);
	const bytes = host?.readFile?.(file, 256 * 1024);
	if (!bytes) {
		b.unknown(
			'config',
			`--config ${flag.value}: the file could not be read, so its settings are not included`,
			flag.valueSpan,
		);
		return;
	}
	let data: unknown;
	try {
		data = parse(new TextDecoder().decode(bytes));
	} catch {
		b.unknown('config', `--config ${flag.value} is not valid YAML`, flag.valueSpan);
		return;
	}
	if (!data || typeof data !== 'object' || Array.isArray(data)) return;
	const note = `from ${flag.value} (--config)`;
	for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
		if (value === null || typeof value === 'object' || value === false) continue;
		if (key === 'model') {
			b.model ??= { value: String(value), source: 'file', span: flag.valueSpan, key: 'model', note };
			continue;
		}
		const { spec } = lookupFlag(`--${key}`, VLLM_FLAGS);
		if (!spec?.setting || spec.setting === 'model' || b.settings[spec.setting]) continue;
		b.apply(spec, { name: key, span: flag.valueSpan }, { text: String(value), span: flag.valueSpan, note });
	}
}

/**
 * The `--config` file is written by this document (`cat > config.yaml <<EOF … EOF`): its keys are read
 * where they are written, so hovers and fixes land on the heredoc's text.
 */
function applyInline(b: WorkloadBuilder, name: string, file: InlineFile): void {
	const doc = parseDocument(file.text, { uniqueKeys: false });
	const root = doc.contents;
	if (doc.errors.length || !isMap(root)) {
		b.unknown('config', `--config ${name} (${file.origin}) is not a YAML mapping`);
		return;
	}
	const note = `from ${name}, written by the ${file.origin}`;
	const at = (r: [number, number, number] | undefined) =>
		r ? { offset: file.offset + r[0], length: r[1] - r[0] } : undefined;
	for (const p of root.items) {
		if (!isScalar(p.key) || !isScalar(p.value)) continue;
		const key = String(p.key.value);
		const value = p.value.value;
		const keySpan = at(p.key.range ?? undefined);
		const valueSpan = at(p.value.range ?? undefined);
		if (value === null || value === false || !keySpan || !valueSpan) continue;
		const text = String(value);
		// An unquoted heredoc expands `$VAR` when the script runs: such a value is not known here.
		if (text.includes('$')) {
			b.unknown(
				key === 'model' ? 'model' : key,
				`${key}: \`${text}\` in the ${file.origin} is expanded at run time`,
				valueSpan,
			);
			continue;
		}
		if (key === 'model') {
			b.model ??= { value: text, source: 'file', span: valueSpan, key, keySpan, note };
			continue;
		}
		const { spec } = lookupFlag(`--${key}`, VLLM_FLAGS);
		if (!spec?.setting || spec.setting === 'model' || b.settings[spec.setting]) continue;
		b.apply(spec, { name: key, span: keySpan }, { text, span: valueSpan, note });
	}
}
