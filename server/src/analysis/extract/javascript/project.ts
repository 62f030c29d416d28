/**
 * One ts-morph Project for the whole process, created on first use: ts-morph (and the TypeScript compiler
 * inside it) is loaded with a dynamic import so nothing pays for it until a JS/TS file needs reading.
 * The file system is in memory, lib files are not loaded and nothing is type-checked: we only walk syntax.
 */
import type * as TsMorph from 'ts-morph';

export type TM = typeof TsMorph;

let loading: Promise<{ tm: TM; project: TsMorph.Project }> | undefined;
const stats = { projectsCreated: 0, filesParsed: 0 };

export function getProject(): Promise<{ tm: TM; project: TsMorph.Project }> {
	loading ??= import('ts-morph').then((tm) => {
		stats.projectsCreated++;
		const project = new tm.Project({
			useInMemoryFileSystem: true,
			skipAddingFilesFromTsConfig: true,
			skipFileDependencyResolution: true,
			skipLoadingLibFiles: true,
			compilerOptions: { allowJs: true, noLib: true, jsx: tm.ts.JsxEmit.Preserve },
		});
		return { tm, project };
	});
	return loading;
}

/** Parses `text` as a source file, runs `fn` on it synchronously, and removes it again. */
export async function withSourceFile<T>(
	filePath: string,
	text: string,
	fn: (sf: TsMorph.SourceFile, tm: TM) => T,
): Promise<T> {
	const { tm, project } = await getProject();
	const ext = /\.(tsx|jsx|mts|cts|mjs|cjs|ts|js)$/i.exec(filePath)?.[1].toLowerCase() ?? 'ts';
	// A fixed virtual name: the walk below is synchronous, so two documents never share it at once.
	const sf = project.createSourceFile(`/inference-meter/doc.${ext}`, text, { overwrite: true });
	stats.filesParsed++;
	try {
		return fn(sf, tm);
	} finally {
		project.removeSourceFile(sf);
	}
}

/** For tests: how many Projects were created (1 after any number of analyses) and files parsed. */
export function javascriptProjectStats(): { projectsCreated: number; filesParsed: number } {
	return { ...stats };
}
