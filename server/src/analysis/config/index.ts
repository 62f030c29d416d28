/**
 * The project config loader every face shares (CLI, language server, MCP tools): find the file through the
 * injected reader, parse and validate it, narrow it to the document.
 */
import { findProjectConfig, type ConfigReader } from './configFinder';
import { configForFile, type ProjectSettings } from './forFile';
import { parseProjectConfig, type ConfigCheckOptions, type ConfigProblem } from './projectConfig';

export interface LoadedProjectConfig {
	/** The config file that applies, when there is one. */
	path?: string;
	/** Problems in that file; a face reports them (CLI: exit 2; editor: diagnostics on the file). */
	problems: ConfigProblem[];
	/** The document matches the config's `ignore` globs. */
	ignored: boolean;
	/** The values for this document (undefined without a config). */
	settings?: ProjectSettings;
}

export function loadProjectConfig(
	docPath: string,
	reader: ConfigReader,
	check: ConfigCheckOptions = {},
): LoadedProjectConfig {
	const found = findProjectConfig(docPath, reader);
	if (!found) return { problems: [], ignored: false };
	const parsed = parseProjectConfig(found.text, found.path, check);
	if (!parsed.config) return { path: found.path, problems: parsed.problems, ignored: false };
	const narrowed = configForFile(parsed.config, docPath);
	return { path: found.path, problems: parsed.problems, ...narrowed };
}

/** What `AnalysisOptions.project` gets from a loaded config (undefined without one). */
export function projectOptions(loaded: LoadedProjectConfig): ProjectSettings | undefined {
	return loaded.settings && { ...loaded.settings, ignored: loaded.ignored };
}

export { findProjectConfig, isProjectConfigPath, dirOf, type ConfigReader } from './configFinder';
export { configForFile, provenanceNote, type ProjectSettings } from './forFile';
export {
	parseProjectConfig,
	CONFIG_FILE_NAMES,
	type ConfigProblem,
	type ProjectConfig,
} from './projectConfig';
