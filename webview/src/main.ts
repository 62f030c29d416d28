/**
 * Webview entry (bundled to dist/webview.js, with ./styles.css → dist/webview.css). Imports only the
 * @vscode-elements components the panel uses, so the bundle stays small.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import './styles.css';
import { App } from './app';
import { builtInEngine } from './builtinEngine';
import { hostApi } from './vscodeApi';

function start(): void {
	const root = document.getElementById('app');
	if (!root) return;
	const host = hostApi();
	try {
		new App(root, host, builtInEngine());
	} catch (err) {
		root.textContent = 'Inference Meter: the panel failed to start; see the log.';
		host.postMessage({ type: 'webview/error', params: { message: String((err as Error)?.stack ?? err) } });
	}
}

start();
