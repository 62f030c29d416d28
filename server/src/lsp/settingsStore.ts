/**
 * Settings per document, pulled from the client through `workspace/configuration` (section
 * `inferenceMeter`, scoped to the document so folder settings apply), cached until the client says they
 * changed. Clients without the configuration capability get the settings pushed in
 * didChangeConfiguration, or the defaults.
 */
import type { Connection } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, SECTION, settingsFrom, type InferenceMeterSettings } from '../shared/settings';

export class SettingsStore {
	private readonly cache = new Map<string, Promise<InferenceMeterSettings>>();
	private pushed: InferenceMeterSettings = DEFAULT_SETTINGS;
	/** Bumped on every change, so analyses cached under older settings are recomputed. */
	generation = 0;

	constructor(
		private readonly connection: Connection,
		private readonly canPull: () => boolean,
	) {}

	get(uri: string): Promise<InferenceMeterSettings> {
		if (!this.canPull()) return Promise.resolve(this.pushed);
		let entry = this.cache.get(uri);
		if (!entry) {
			entry = this.connection.workspace
				.getConfiguration(uri ? { scopeUri: uri, section: SECTION } : { section: SECTION })
				.then(settingsFrom, (e: unknown) => {
					this.connection.console.warn(`Could not read settings for ${uri}: ${String(e)}`);
					return DEFAULT_SETTINGS;
				});
			this.cache.set(uri, entry);
		}
		return entry;
	}

	/** Settings not tied to a document (status item, catalog request). */
	global(): Promise<InferenceMeterSettings> {
		return this.get('');
	}

	/** didChangeConfiguration: `settings` is null in the pull model, the whole tree in the push model. */
	changed(settings: unknown): void {
		this.generation++;
		this.cache.clear();
		if (settings && typeof settings === 'object' && SECTION in settings)
			this.pushed = settingsFrom((settings as Record<string, unknown>)[SECTION]);
	}

	forget(uri: string): void {
		this.cache.delete(uri);
	}
}
