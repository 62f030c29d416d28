/**
 * The catalog the server works with: the built-in one, merged with the user catalog named in the settings.
 * The user file is read only inside the workspace (relative path) or at an absolute path the user set, is
 * bounded in size, and is re-read only when its path or modification time changes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getCatalog, mergeUserCatalog, type Catalog } from '../analysis/catalog';
import type { CatalogSummary } from '../shared/protocol';
import type { CatalogView } from './hover';
import { WorkspaceHost } from './workspaceHost';

const MAX_USER_CATALOG_BYTES = 4 * 1024 * 1024;

export interface LoadedCatalog {
	catalog: Catalog;
	errors: string[];
}

export class CatalogAccess {
	private cached: { key: string; loaded: LoadedCatalog } | undefined;

	constructor(private readonly workspaceRoots: () => readonly string[]) {}

	/** The workspace folders the server may read (the agent tools use them as their roots). */
	roots(): readonly string[] {
		return this.workspaceRoots();
	}

	/** The absolute path of a `userCatalog` setting value, or undefined for the built-in catalog. */
	userCatalogPath(userCatalog: string): string | undefined {
		if (!userCatalog) return undefined;
		const roots = this.workspaceRoots();
		return path.isAbsolute(userCatalog)
			? userCatalog
			: roots[0]
				? path.join(roots[0], userCatalog)
				: undefined;
	}

	/** The merged catalog for a `userCatalog` setting value ('' = built-in only). */
	load(userCatalog: string): LoadedCatalog {
		if (!userCatalog) return { catalog: getCatalog(), errors: [] };
		const roots = this.workspaceRoots();
		const file = path.isAbsolute(userCatalog)
			? userCatalog
			: roots[0]
				? path.join(roots[0], userCatalog)
				: '';
		// An absolute path is something the user typed into their settings: allow it explicitly.
		const host = new WorkspaceHost(roots, roots[0], path.isAbsolute(userCatalog) ? [userCatalog] : []);
		const real = file ? host.resolveAllowed(file) : undefined;
		if (!real)
			return {
				catalog: getCatalog(),
				errors: [`user catalog ${userCatalog}: not found inside the workspace`],
			};
		let mtime = 0;
		try {
			mtime = fs.statSync(real).mtimeMs;
		} catch {
			// resolveAllowed saw it a moment ago; a race with deletion reads as "not found" below.
		}
		const key = `${real}@${mtime}`;
		if (this.cached?.key === key) return this.cached.loaded;
		const loaded = this.read(host, real, userCatalog);
		this.cached = { key, loaded };
		return loaded;
	}

	private read(host: WorkspaceHost, real: string, shown: string): LoadedCatalog {
		const base = getCatalog();
		const bytes = host.readFile(real, MAX_USER_CATALOG_BYTES + 1);
		if (!bytes) return { catalog: base, errors: [`user catalog ${shown}: cannot be read`] };
		if (bytes.length > MAX_USER_CATALOG_BYTES)
			return {
				catalog: base,
				errors: [`user catalog ${shown}: larger than ${MAX_USER_CATALOG_BYTES / 1e6} MB`],
			};
		let json: unknown;
		try {
			json = JSON.parse(new TextDecoder().decode(bytes));
		} catch (e) {
			return { catalog: base, errors: [`user catalog ${shown}: not valid JSON (${(e as Error).message})`] };
		}
		const merged = mergeUserCatalog(base, json);
		return { catalog: merged.catalog, errors: merged.errors.map((m) => `user catalog ${shown}: ${m}`) };
	}
}

export function catalogView(catalog: Catalog): CatalogView {
	return {
		model: (id) => catalog.models.find((m) => m.id === id),
		hardware: (id) => catalog.hardware.find((h) => h.id === id),
	};
}

export function summarize(loaded: LoadedCatalog): CatalogSummary {
	return {
		hardware: loaded.catalog.hardware.map((h) => ({
			id: h.id,
			name: h.name,
			vendor: h.vendor,
			spectrum: h.spectrum,
			deviceClass: h.deviceClass,
			memoryType: h.memoryType,
			memoryGB: h.memoryGB,
			bandwidthGBs: h.bandwidthGBs,
			origin: h.origin,
		})),
		models: loaded.catalog.models.map((m) => ({
			id: m.id,
			paramsTotal: m.paramsTotal,
			paramsActive: m.paramsActive,
			maxContext: m.maxContext,
			nativeDtype: m.nativeDtype,
		})),
		errors: loaded.errors,
	};
}
