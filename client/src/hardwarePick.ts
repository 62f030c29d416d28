/**
 * Select Target Hardware: the catalog in a quick pick, grouped by class along the memory–compute coupling
 * spectrum (CPU → GPU → dataflow → in-memory → SRAM → hardwired), searchable by name, id and specs.
 */
import * as vscode from 'vscode';
import { SPECTRUM_ORDER, type SpectrumClass } from '../../server/src/analysis/catalog/types';
import type { CatalogSummary, HardwareSummary } from '../../server/src/shared/protocol';
import { SECTION } from '../../server/src/shared/settings';

const SPECTRUM_LABEL: Record<SpectrumClass, string> = {
	cpu: 'CPU + DDR',
	gpu: 'GPU + HBM/GDDR',
	dataflow: 'Dataflow',
	'in-memory-compute': 'In-memory compute',
	sram: 'SRAM (wafer / LPU)',
	hardwired: 'Hardwired',
};

interface HardwareItem extends vscode.QuickPickItem {
	id?: string;
}

export function hardwareItems(catalog: CatalogSummary, current: string): HardwareItem[] {
	const items: HardwareItem[] = [];
	for (const spectrum of SPECTRUM_ORDER) {
		const group = catalog.hardware.filter((h) => h.spectrum === spectrum);
		if (group.length === 0) continue;
		items.push({ label: SPECTRUM_LABEL[spectrum], kind: vscode.QuickPickItemKind.Separator });
		for (const h of group) items.push(item(h, current));
	}
	return items;
}

function item(h: HardwareSummary, current: string): HardwareItem {
	return {
		id: h.id,
		label: `${h.id === current ? '$(check) ' : ''}${h.name}`,
		description: `${h.id} · ${h.vendor}${h.origin === 'user' ? ' · user catalog' : ''}`,
		detail: `${h.memoryGB} GB ${h.memoryType} · ${h.bandwidthGBs} GB/s`,
	};
}

export async function pickHardware(catalog: CatalogSummary, current: string): Promise<string | undefined> {
	const picked = await vscode.window.showQuickPick(hardwareItems(catalog, current), {
		title: 'Inference Meter: Select Target Hardware',
		placeHolder: `Current: ${current} — type to search by name, id or vendor`,
		// Not the detail: fuzzy matching on spec numbers ("400 GB/s") buries the device the user typed.
		matchOnDescription: true,
	});
	return picked?.id;
}

/** Writes the workspace setting when a folder is open (targets differ per project), else the user setting. */
export async function writeTargetHardware(id: string): Promise<void> {
	const config = vscode.workspace.getConfiguration(SECTION);
	const target = vscode.workspace.workspaceFolders?.length
		? vscode.ConfigurationTarget.Workspace
		: vscode.ConfigurationTarget.Global;
	await config.update('hardware', id, target);
}
