/**
 * The palette commands, as a table: each has what it does with a running server and, where it needs one,
 * what it says when the server is not running (instead of failing silently).
 */
import * as vscode from 'vscode';
import { showPanel } from './panel/panel';
import type { PanelHost } from './panel/panelHost';
import { Commands, diagnosticsDocUrl } from '../../server/src/shared/constants';
import type { DecodeBandwidthResult } from '../../server/src/shared/protocol';
import type { ServerApi } from './serverApi';
import { bandwidthMarkdown } from './bandwidthReport';
import { rememberAnalyzed } from './panel/lastWorkload';
import { showMarkdownReport } from './reportDocuments';
import { pickHardware, writeTargetHardware } from './hardwarePick';
import type { MeasureController } from './measure';

export interface ExtensionContextLike {
	/** The language server, once its module is loaded. */
	server(): ServerApi | undefined;
	log: vscode.LogOutputChannel;
	host: PanelHost;
	/** True once the language server answered initialize. */
	running(): boolean;
	/** Measure Running Server / Stop Measuring. */
	meter: MeasureController;
	/** Whether VS Code took the MCP server definition (1.101+). */
	mcpRegistered?: boolean;
	/** Inference Meter: Show Agent Tools (lives in the lazily loaded language-client bundle). */
	showAgentTools?: () => Promise<void>;
}

interface CommandSpec {
	run(ctx: ExtensionContextLike, ...args: unknown[]): unknown;
	/** Commands that need the server; the rest work without it. */
	needsServer: boolean;
}

function asUri(arg: unknown): vscode.Uri | undefined {
	if (arg instanceof vscode.Uri) return arg;
	if (typeof arg === 'string') return vscode.Uri.parse(arg);
	return vscode.window.activeTextEditor?.document.uri;
}

async function estimateDecodeBandwidth(ctx: ExtensionContextLike): Promise<void> {
	const server = ctx.server()!;
	const editor = vscode.window.activeTextEditor;
	let result: DecodeBandwidthResult | { error: string } | undefined;
	if (editor) {
		// VS Code and LSP positions are both UTF-16 line/character pairs.
		const { line, character } = editor.selection.active;
		result = await server.decodeBandwidth({
			textDocument: { uri: editor.document.uri.toString() },
			position: { line, character },
		});
	}
	// A file whose workload gave the estimate is what the panel shows when opened from the report tab.
	if (editor && result && !('error' in result)) rememberAnalyzed(editor.document.uri);
	if (!result || 'error' in result) {
		const catalog = await server.catalog();
		const picked = await vscode.window.showQuickPick(
			catalog.models.map((m) => ({
				label: m.id,
				description: `${(m.paramsTotal / 1e9).toPrecision(3)} B params`,
				detail:
					m.paramsActive !== m.paramsTotal
						? `${(m.paramsActive / 1e9).toPrecision(3)} B active per token`
						: undefined,
			})),
			{
				title: 'Estimate Decode Bandwidth',
				placeHolder: 'No workload under the cursor: pick a model',
				matchOnDescription: true,
			},
		);
		if (!picked) return;
		result = await server.decodeBandwidth({ modelId: picked.label });
	}
	if ('error' in result) {
		void vscode.window.showErrorMessage(`Inference Meter: ${result.error}`);
		return;
	}
	await showMarkdownReport(`Decode bandwidth ${result.modelId}`, bandwidthMarkdown(result));
	const json = JSON.stringify(result, null, 2);
	const choice = await vscode.window.showInformationMessage(
		`Decode bandwidth for ${result.modelId}: ${result.requiredBandwidthGBs.toPrecision(3)} GB/s for ${result.tokensPerSecondPerUser} tok/s per user.`,
		'Copy as JSON',
	);
	if (choice === 'Copy as JSON') await vscode.env.clipboard.writeText(json);
}

async function selectTargetHardware(ctx: ExtensionContextLike): Promise<void> {
	const catalog = await ctx.server()!.catalog();
	const id = await pickHardware(catalog, ctx.host.getTargetHardware());
	if (id) await writeTargetHardware(id);
}

export const COMMANDS: Record<string, CommandSpec> = {
	[Commands.estimateDecodeBandwidth]: { needsServer: true, run: estimateDecodeBandwidth },
	[Commands.showHardwareComparison]: {
		needsServer: true,
		// The CodeLens passes [uri, workloadIndex]: the panel opens on that workload.
		run: (ctx, uri, index) =>
			showPanel(ctx.host, asUri(uri), typeof index === 'number' && index >= 0 ? index : undefined),
	},
	[Commands.measureRunningServer]: { needsServer: true, run: (ctx) => ctx.meter.measureCommand() },
	[Commands.stopMeasuring]: { needsServer: false, run: (ctx) => ctx.meter.stopCommand() },
	[Commands.selectTargetHardware]: { needsServer: true, run: selectTargetHardware },
	[Commands.openDiagnosticsReference]: {
		needsServer: false,
		run: (_ctx, code) =>
			vscode.env.openExternal(
				vscode.Uri.parse(diagnosticsDocUrl(typeof code === 'string' ? code : undefined)),
			),
	},
	[Commands.showLog]: { needsServer: false, run: (ctx) => ctx.log.show() },
	[Commands.showAgentTools]: {
		needsServer: true,
		run: (ctx) => ctx.showAgentTools?.(),
	},
};

export function registerCommands(context: vscode.ExtensionContext, ctx: ExtensionContextLike): void {
	for (const [id, spec] of Object.entries(COMMANDS)) {
		context.subscriptions.push(
			vscode.commands.registerCommand(id, async (...args: unknown[]) => {
				if (spec.needsServer && !ctx.running()) {
					const choice = await vscode.window.showWarningMessage(
						'Inference Meter: the language server is not running.',
						'Show Log',
					);
					if (choice) ctx.log.show();
					return;
				}
				try {
					return await spec.run(ctx, ...args);
				} catch (e) {
					ctx.log.error(`${id} failed`, e);
					void vscode.window.showErrorMessage(
						`Inference Meter: ${e instanceof Error ? e.message : String(e)}`,
					);
				}
			}),
		);
	}
}
