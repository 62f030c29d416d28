/**
 * Creates the LanguageClient: the server is a separate Node process (dist/server.js), so nothing heavy
 * loads in the extension host. The client id `inferenceMeter` makes the library read
 * `inferenceMeter.trace.server` by itself.
 */
import type * as vscode from 'vscode';
import {
	LanguageClient,
	TransportKind,
	type DocumentFilter,
	type ServerOptions,
} from 'vscode-languageclient/node';
import { DOCUMENT_SELECTOR } from '../../server/src/shared/protocol';

/** Schemes we analyze: files on disk, unsaved buffers, and virtual workspaces (text only, no local reads). */
const SCHEMES = ['file', 'untitled', 'vscode-vfs'];

export function documentSelector(): DocumentFilter[] {
	const filters: DocumentFilter[] = [];
	for (const scheme of SCHEMES)
		for (const f of DOCUMENT_SELECTOR) filters.push({ ...f, scheme } as DocumentFilter);
	return filters;
}

export function createLanguageClient(
	context: vscode.ExtensionContext,
	log: vscode.LogOutputChannel,
): LanguageClient {
	const module = context.asAbsolutePath('dist/server.js');
	const serverOptions: ServerOptions = {
		run: { module, transport: TransportKind.ipc },
		debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
	};
	return new LanguageClient('inferenceMeter', 'Inference Meter', serverOptions, {
		documentSelector: documentSelector(),
		outputChannel: log,
		// The server reports its own failures as diagnostics/status; do not pop the output channel.
		revealOutputChannelOn: 4 /* RevealOutputChannelOn.Never */,
	});
}
