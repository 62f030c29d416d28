/**
 * The language-model tool names alone, for the extension's activation path (the specs with their long
 * descriptions, ./lmTools.ts, feed the manifest and the lazily loaded tool code). A test keeps them equal.
 */
export const LM_TOOL_NAMES = [
	'inferenceMeter_estimate',
	'inferenceMeter_analyzeFile',
	'inferenceMeter_compareHardware',
] as const;
