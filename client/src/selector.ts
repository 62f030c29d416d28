/**
 * The document selector of the language client and the status item: every file kind the server reads,
 * in the schemes it can read — files on disk, unsaved buffers, virtual workspaces (text only).
 */
import type * as vscode from 'vscode';
import { DOCUMENT_SELECTOR } from '../../server/src/shared/constants';

const SCHEMES = ['file', 'untitled', 'vscode-vfs'];

export function documentSelector(): vscode.DocumentFilter[] {
	const filters: vscode.DocumentFilter[] = [];
	for (const scheme of SCHEMES) for (const f of DOCUMENT_SELECTOR) filters.push({ ...f, scheme });
	return filters;
}
