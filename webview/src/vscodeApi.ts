/**
 * The one place that touches `acquireVsCodeApi()` (it may be called only once per webview). Outside VS Code
 * (plain Chromium in tests, the dev harness) a fallback keeps the same surface: posted messages become
 * `inference-meter:post` DOM events a fake host listens to, and state lives in sessionStorage. The host's
 * messages arrive as window `message` events either way.
 */
export interface HostApi {
	postMessage(msg: unknown): void;
	getState(): unknown;
	setState(state: unknown): void;
}

interface VsCodeApi {
	postMessage(msg: unknown): void;
	getState(): unknown;
	setState(state: unknown): void;
}

declare global {
	// Provided by VS Code inside webviews only.
	function acquireVsCodeApi(): VsCodeApi;
}

const STORAGE_KEY = 'inference-meter.state';

function browserFallback(): HostApi {
	return {
		postMessage(msg) {
			window.dispatchEvent(new CustomEvent('inference-meter:post', { detail: msg }));
		},
		getState() {
			try {
				const raw = sessionStorage.getItem(STORAGE_KEY);
				return raw ? (JSON.parse(raw) as unknown) : undefined;
			} catch {
				return undefined;
			}
		},
		setState(state) {
			try {
				sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
			} catch {
				// Storage can be unavailable (opaque origins); losing view state is harmless.
			}
		},
	};
}

let api: HostApi | undefined;

export function hostApi(): HostApi {
	if (!api) api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : browserFallback();
	return api;
}
