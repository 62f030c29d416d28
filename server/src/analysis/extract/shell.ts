// Placeholder until this extractor lands: it finds nothing (and detect.ts never routes here yet).
import type { ExtractInput, ExtractResult } from './types';

export function extractShell(_input: ExtractInput): ExtractResult {
	return { workloads: [], findings: [] };
}
