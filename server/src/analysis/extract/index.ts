/**
 * Extraction entry point: decides the file kind, then hands the text to that kind's extractor.
 * Each extractor lives in its own module; this file only routes.
 */
import { detectFileKind } from './detect';
import type { ExtractInput, ExtractResult, Extractor, FileKind } from './types';
import { extractShell } from './shell';
import { extractDockerfile } from './dockerfile';
import { extractYaml } from './yaml';
import { extractPython } from './python';
import { extractJavaScript } from './javascript';
import { extractModelfile } from './modelfile';
import { extractSystemd } from './systemd';
import { extractEnvFile } from './envFile';
import { extractBatch } from './batch';
import { extractNotebook } from './notebook';

const extractors: Record<FileKind, Extractor | undefined> = {
	shell: extractShell,
	dockerfile: extractDockerfile,
	yaml: extractYaml,
	python: extractPython,
	javascript: extractJavaScript,
	modelfile: extractModelfile,
	systemd: extractSystemd,
	env: extractEnvFile,
	batch: extractBatch,
	notebook: extractNotebook,
	unknown: undefined,
};

export async function extractWorkloads(input: ExtractInput): Promise<ExtractResult> {
	const kind = detectFileKind(input.path, input.text, input.languageId);
	const extractor = extractors[kind];
	if (!extractor) return { workloads: [], findings: [] };
	return extractor(input);
}

export { detectFileKind };
export type { ExtractInput, ExtractResult, FileKind };
