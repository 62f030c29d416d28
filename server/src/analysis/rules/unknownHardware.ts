/** unknown-hardware: the file or the settings name a device the catalog lacks; the default target stands in. */
import { finding, spanOf } from './common';
import type { Rule } from './types';

export const unknownHardware: Rule = {
	code: 'unknown-hardware',
	defaultSeverity: 'warning',
	summary: 'The target hardware id is not in the catalog; the default target was used instead.',
	check(ctx) {
		const p = ctx.hardwareProblem;
		if (!p) return [];
		const where = p.source === 'file' ? 'The file names' : 'The settings name';
		const setting = p.source === 'file' ? ctx.workload.settings.hardware : undefined;
		return [
			finding(
				ctx,
				unknownHardware.code,
				'warning',
				`${where} hardware "${p.query}", which the catalog does not know: ${p.message}. Estimated on the default instead`,
				spanOf(ctx, setting),
				{ query: p.query, suggestions: p.suggestions, source: p.source },
			),
		];
	},
};
