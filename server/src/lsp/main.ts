/**
 * Entry point of the language server (`node dist/server.js --stdio`; `--node-ipc` and `--socket=N` work
 * too, as vscode-languageserver reads them from argv).
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { analyzeDocument } from '../analysis/analyze';
import { hasEngineKeyword } from '../analysis/extract/keywords';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);

// stdout is the protocol channel: a stray console.log from any module would corrupt it.
console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.info = console.log;
console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));

process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${String(e)}`));

startServer(connection, {
	analyze: analyzeDocument,
	mayHoldWorkload: hasEngineKeyword,
	debounceMs: 150,
});
