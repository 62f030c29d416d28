/**
 * Decides which extractor reads a document, from its name, the editor's language id and, for scripts
 * without an extension, the shebang. A keyword pre-filter runs first so files with no engine keyword
 * cost one string scan and no parse.
 */
import { hasEngineKeyword } from './keywords';
import type { FileKind } from './types';

const LANGUAGE_IDS: Record<string, FileKind> = {
	shellscript: 'shell',
	sh: 'shell',
	bash: 'shell',
	dockerfile: 'dockerfile',
	containerfile: 'dockerfile',
	yaml: 'yaml',
	'docker-compose': 'yaml',
	dockercompose: 'yaml',
	python: 'python',
	javascript: 'javascript',
	typescript: 'javascript',
	javascriptreact: 'javascript',
	typescriptreact: 'javascript',
	systemd: 'systemd',
	'systemd-unit-file': 'systemd',
	dotenv: 'env',
	env: 'env',
	modelfile: 'modelfile',
	bat: 'batch',
	jupyter: 'notebook',
};

const EXTENSIONS: Record<string, FileKind> = {
	sh: 'shell',
	bash: 'shell',
	zsh: 'shell',
	dockerfile: 'dockerfile',
	containerfile: 'dockerfile',
	yaml: 'yaml',
	yml: 'yaml',
	py: 'python',
	pyi: 'python',
	ts: 'javascript',
	tsx: 'javascript',
	mts: 'javascript',
	cts: 'javascript',
	js: 'javascript',
	mjs: 'javascript',
	cjs: 'javascript',
	jsx: 'javascript',
	modelfile: 'modelfile',
	service: 'systemd',
	env: 'env',
	bat: 'batch',
	cmd: 'batch',
	ipynb: 'notebook',
};

/** The kind a file's name alone implies, or undefined. */
export function kindFromPath(filePath: string): FileKind | undefined {
	const base = filePath.split(/[\\/]/).pop() ?? '';
	const lower = base.toLowerCase();
	if (lower === 'dockerfile' || lower === 'containerfile' || /^(docker|container)file[.-]/.test(lower))
		return 'dockerfile';
	if (lower === 'modelfile' || /^modelfile[.-]/.test(lower)) return 'modelfile';
	if (lower === '.env' || lower.startsWith('.env.')) return 'env';
	const dot = lower.lastIndexOf('.');
	if (dot < 0) return undefined;
	return EXTENSIONS[lower.slice(dot + 1)];
}

/** `#!/bin/bash`, `#!/usr/bin/env bash`, `#!/usr/bin/env python3` … */
function kindFromShebang(text: string): FileKind | undefined {
	if (!text.startsWith('#!')) return undefined;
	const line = text.slice(0, text.indexOf('\n') >>> 0).trim();
	if (/\b(ba|z|da|k)?sh\b/.test(line)) return 'shell';
	if (/\bpython[0-9.]*\b/.test(line)) return 'python';
	if (/\b(node|deno|bun|tsx|ts-node)\b/.test(line)) return 'javascript';
	return undefined;
}

/**
 * The file kind, or 'unknown' when the file cannot hold a workload we read. Modelfiles always count
 * (every one names a model); everything else must mention an engine keyword.
 */
export function detectFileKind(filePath: string, text: string, languageId?: string): FileKind {
	const byLanguage = languageId ? LANGUAGE_IDS[languageId.toLowerCase()] : undefined;
	const byPath = kindFromPath(filePath);
	// A notebook cell (editor language python, URI path of the .ipynb) is Python, not the notebook's JSON.
	const kind =
		(byPath === 'notebook' && byLanguage && byLanguage !== 'notebook' ? byLanguage : byPath) ??
		byLanguage ??
		kindFromShebang(text) ??
		'unknown';
	if (kind === 'unknown' || kind === 'modelfile') return kind;
	return hasEngineKeyword(text) ? kind : 'unknown';
}
