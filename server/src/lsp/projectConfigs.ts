/**
 * `.inference-meter.yaml` for the language server: found per document through the shared loader, read only
 * inside the workspace folders (each folder is a root the search stops at, as is a folder holding `.git`),
 * cached until the client reports the file changed (didChangeWatchedFiles) or the open config document is
 * edited. Problems of a config that is not open in the editor are published on the config file itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadProjectConfig, type ConfigProblem, type LoadedProjectConfig } from '../analysis/config';
import { isInside } from './workspaceHost';

const MAX_CONFIG_BYTES = 256 * 1024;

export interface ProjectConfigDeps {
	roots(): readonly string[];
	/** The text of the config when it is open in the editor (unsaved edits count), else undefined. */
	openText(path: string): string | undefined;
	/** Reports a config's problems (an empty list clears them). */
	problems(path: string, text: string, problems: ConfigProblem[]): void;
}

export class ProjectConfigs {
	/** Bumped whenever a config file changes, so analyses under the old config are recomputed. */
	generation = 0;
	private readonly texts = new Map<string, string | undefined>();
	private readonly reported = new Map<string, string>();

	constructor(private readonly deps: ProjectConfigDeps) {}

	private read(p: string): string | undefined {
		const open = this.deps.openText(p);
		if (open !== undefined) return open;
		if (this.texts.has(p)) return this.texts.get(p);
		let text: string | undefined;
		const roots = this.deps.roots();
		try {
			const real = fs.realpathSync(p);
			const st = fs.statSync(real);
			// Only configs inside a workspace folder: a file elsewhere on disk is not this project's.
			if (st.isFile() && st.size <= MAX_CONFIG_BYTES && roots.some((r) => isInside(realOr(r), real)))
				text = fs.readFileSync(real, 'utf8').replace(/^\uFEFF/, '');
		} catch {
			text = undefined;
		}
		this.texts.set(p, text);
		return text;
	}

	/** The config for a document path; undefined outside the workspace folders or without a file path. */
	forDocument(
		docPath: string | undefined,
		checkHardware: (id: string) => string | undefined,
	): LoadedProjectConfig {
		const roots = this.deps.roots();
		if (!docPath || !roots.some((r) => isInside(r, docPath))) return { problems: [], ignored: false };
		const loaded = loadProjectConfig(
			docPath,
			{
				read: (p) => this.read(p),
				isRoot: (dir) =>
					roots.some((r) => path.resolve(r) === path.resolve(dir)) || fs.existsSync(path.join(dir, '.git')),
			},
			{ checkHardware },
		);
		if (loaded.path) this.report(loaded.path, loaded.problems);
		return loaded;
	}

	private report(p: string, problems: ConfigProblem[]): void {
		// The open config document gets its diagnostics from its own analysis.
		if (this.deps.openText(p) !== undefined) return;
		const key = JSON.stringify(problems);
		if (this.reported.get(p) === key) return;
		this.reported.set(p, key);
		this.deps.problems(p, this.texts.get(p) ?? '', problems);
	}

	/** A config file was created, changed or deleted (or the open one edited). */
	changed(p?: string): void {
		if (p) {
			this.texts.delete(p);
			// Clear what was reported: a deleted config is never loaded again to clear it.
			if (this.reported.get(p) !== '[]' && this.reported.has(p)) this.deps.problems(p, '', []);
			this.reported.delete(p);
		} else {
			this.texts.clear();
			this.reported.clear();
		}
		this.generation++;
	}
}

function realOr(p: string): string {
	try {
		return fs.realpathSync(p);
	} catch {
		return p;
	}
}
