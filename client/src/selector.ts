/**
 * The document selector of the language client and the status item: every file kind the server reads,
 * in the schemes it can read — files on disk, unsaved buffers, virtual workspaces (text only), notebook cells.
 */
import type * as vscode from 'vscode';
import { DOCUMENT_SELECTOR } from '../../server/src/shared/constants';

const SCHEMES = ['file', 'untitled', 'vscode-vfs'];

/**
 * Jupyter notebook cells are text documents of their own (scheme `vscode-notebook-cell`, language
 * `python`, URI path = the .ipynb): the server analyzes each code cell as Python and publishes
 * diagnostics on the cell, which VS Code shows inside the notebook editor.
 */
const NOTEBOOK_CELLS: vscode.DocumentFilter = { scheme: 'vscode-notebook-cell', language: 'python' };

export function documentSelector(): vscode.DocumentFilter[] {
	const filters: vscode.DocumentFilter[] = [];
	for (const scheme of SCHEMES) for (const f of DOCUMENT_SELECTOR) filters.push({ ...f, scheme });
	filters.push(NOTEBOOK_CELLS);
	return filters;
}
