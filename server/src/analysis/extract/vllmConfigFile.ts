/**
 * `vllm serve --config cfg.yaml`: the YAML's keys are engine args that apply under the command line
 * (CLI > config > defaults, config-surface.md §1.2). When the host can read the file, its settings fill
 * what the command leaves unset; they point at the `--config` value here and say which file they came from.
 */
import { parse } from 'yaml';
import type { AnalysisHost } from '../types';
import { lookupFlag } from './argv';
import type { WorkloadBuilder } from './builder';
import { VLLM_FLAGS } from './flags/vllm';

function resolvePath(docPath: string, p: string): string {
	if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) return p;
	const k = Math.max(docPath.lastIndexOf('/'), docPath.lastIndexOf('\\'));
	return (k < 0 ? '.' : docPath.slice(0, k)) + '/' + p.replace(/^\.\//, '');
}

export function applyVllmConfigFile(b: WorkloadBuilder, docPath: string, host?: AnalysisHost): void {
	const flag = b.flags.find((f) => f.canonical === 'config' && f.value);
	if (!flag?.value || !flag.valueSpan || !/\.ya?ml$/i.test(flag.value)) return;
	const file = resolvePath(docPath, flag.value);
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
