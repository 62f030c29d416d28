/**
 * Entry point of the language server (`node dist/server.js --stdio`; `--node-ipc` and `--socket=N` work
 * too, as vscode-languageserver reads them from argv).
 */
import { setFlagsFromString } from 'node:v8';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { analyzeDocument } from '../analysis/analyze';
import { hasEngineKeyword } from '../analysis/extract/keywords';
import { startServer } from './server';

// Memory (docs/performance.md): tree-sitter's grammars are compiled by V8's baseline WebAssembly compiler only
// (the optimizing tier kept ~50 MB of machine code and compiler memory resident for parsers that read a
// config file in about a millisecond), V8 favours a small heap over peak speed (~20 MB), and JavaScript is
// not optimized by TurboFan (~12 MB; an analysis is a few ms of short-lived code, and A/B runs showed typing
// latency and 10k-line files no slower). Set before any grammar is compiled or code gets hot; RSS after
// opening every sample went from ~230 MB to ~140 MB.
setFlagsFromString('--liftoff-only');
setFlagsFromString('--optimize-for-size');
setFlagsFromString('--no-opt');

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
