/**
 * unknown-model: the model string resolves to nothing in the catalog; say the closest ids and how to
 * teach it. A model the file does not name statically ($MODEL from the environment) is information, not a
 * warning: nothing is wrong with the file, the analyzer just cannot follow it.
 */
import { finding } from './common';
import { engineFormatMismatch } from './engineFormatMismatch';
import type { Rule } from './types';

export const unknownModel: Rule = {
	code: 'unknown-model',
	defaultSeverity: 'information',
	summary: 'The model is not in the catalog, so nothing can be estimated.',
	check(ctx) {
		if (ctx.model.ok) return [];
		const w = ctx.workload;
		// A .safetensors / ggml .bin given to llama.cpp is an error of its own; the name is not the problem.
		if (engineFormatMismatch(w)) return [];
		if (!ctx.model.query) {
			const why = w.unknowns.find((u) => u.name === 'model');
			const reason = why?.reason ?? 'the model is not named here';
			return [
				finding(
					ctx,
					unknownModel.code,
					'information',
					`No model to estimate: ${reason}. Write the id in the file (or a default such as \${MODEL:-org/name}) to get numbers`,
					why?.span ?? w.model.span ?? w.span,
					{ query: '', suggestions: [], reason },
				),
			];
		}
		// Information: nothing is wrong with the file, the catalog just lacks the model (and a false warning
		// on every workload of a compose file is noise). analyze.ts keeps one per model id per file.
		return [
			finding(ctx, unknownModel.code, 'information', ctx.model.message, w.model.span ?? w.span, {
				query: ctx.model.query,
				suggestions: ctx.model.suggestions,
			}),
		];
	},
};
