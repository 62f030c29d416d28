/**
 * The language status item ({} in the status bar next to the language mode): target hardware and server
 * state. Clicking it opens the hardware picker; its detail links the log.
 */
import * as vscode from 'vscode';
import { Commands } from '../../server/src/shared/constants';
import type { StatusParams } from '../../server/src/shared/protocol';
import { isAuto } from '../../server/src/shared/settings';

export class ServerStatus implements vscode.Disposable {
	private readonly item: vscode.LanguageStatusItem;
	private hardware = '';
	private hardwareName: string | undefined;

	constructor(selector: vscode.DocumentFilter[]) {
		this.item = vscode.languages.createLanguageStatusItem('inferenceMeter.status', selector);
		this.item.name = 'Inference Meter';
		this.item.command = { title: 'Select Target Hardware', command: Commands.selectTargetHardware };
		this.starting();
	}

	starting(): void {
		this.item.busy = true;
		this.item.text = '$(loading~spin) Inference Meter';
		this.item.detail = 'starting the language server';
		this.item.severity = vscode.LanguageStatusSeverity.Information;
	}

	stopped(reason: string): void {
		this.item.busy = false;
		this.item.text = '$(error) Inference Meter';
		this.item.detail = reason;
		this.item.severity = vscode.LanguageStatusSeverity.Error;
		this.item.command = { title: 'Show Log', command: Commands.showLog };
	}

	/** The display name for the target id, once the catalog is known. */
	setHardwareName(name: string | undefined): void {
		this.hardwareName = name;
		this.render();
	}

	update(p: StatusParams): void {
		if (p.hardware !== this.hardware) this.hardwareName = undefined;
		this.hardware = p.hardware;
		this.item.busy = p.state === 'analyzing';
		this.item.severity =
			p.state === 'error' ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
		this.item.detail =
			p.state === 'error'
				? `analysis failed: ${p.message ?? 'see the log'}`
				: `target hardware · server ${p.state}`;
		this.item.command = { title: 'Select Target Hardware', command: Commands.selectTargetHardware };
		this.render();
	}

	get targetHardware(): string {
		return this.hardware;
	}

	private render(): void {
		// `auto`: each file's own hints, else its engine's default target (not a user choice).
		this.item.text = `$(dashboard) ${isAuto(this.hardware) ? 'auto' : (this.hardwareName ?? this.hardware)}`;
	}

	dispose(): void {
		this.item.dispose();
	}
}
