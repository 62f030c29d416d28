/** unknown-model: the model string resolves to nothing in the catalog; say the closest ids and how to teach it. */
import { finding } from './common';
import type { Rule } from './types';

export const unknownModel: Rule = {
	code: 'unknown-model',
	defaultSeverity: 'warning',
	summary: 'The model is not in the catalog, so nothing can be estimated.',
	check(ctx) {
		if (ctx.model.ok) return [];
		const span = ctx.workload.model.span ?? ctx.workload.span;
		return [
			finding(ctx, unknownModel.code, 'warning', ctx.model.message, span, {
				query: ctx.model.query,
				suggestions: ctx.model.suggestions,
			}),
		];
	},
};
