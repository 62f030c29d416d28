/**
 * Which catalog device "this machine" is, for llama.cpp and Ollama workloads that run where the editor
 * runs. Edge code (reads `os`), never called from the pure analysis core.
 *
 * Preference: a `local-machine` entry the user measured with `inference-meter probe-bandwidth --save`
 * (measured beats advertised), then the CPU/SoC model string matched against catalog names, then nothing
 * (the analysis falls back to its documented default and says so).
 */
import os from 'node:os';
import type { Catalog } from '../analysis/catalog/types';

export interface LocalMachine {
	hardwareId: string;
	note: string;
}

interface MachineFacts {
	platform: string;
	arch: string;
	cpuModel: string;
}

function facts(): MachineFacts {
	return { platform: os.platform(), arch: os.arch(), cpuModel: os.cpus()[0]?.model ?? '' };
}

/** Lower-case words of a device name without vendor noise, for matching "AMD Ryzen 9 7950X 16-Core Processor". */
function words(s: string): string[] {
	return s
		.toLowerCase()
		.replace(/\(.*?\)/g, ' ')
		.split(/[^a-z0-9]+/)
		.filter(
			(w) =>
				w && !['amd', 'intel', 'apple', 'processor', 'cpu', 'core', 'with', 'the', 'r', 'tm'].includes(w),
		);
}

export function detectLocalMachine(
	catalog: Catalog,
	machine: MachineFacts = facts(),
): LocalMachine | undefined {
	const measured = catalog.hardware.find((h) => h.id === 'local-machine');
	if (measured)
		return { hardwareId: measured.id, note: 'this machine, bandwidth measured by probe-bandwidth' };
	const cpu = machine.cpuModel;
	if (!cpu) return undefined;
	// Apple silicon reports "Apple M2 Max": the GPU of that SoC is what llama.cpp (Metal) decodes on.
	const apple = /Apple (M\d)(?: (Pro|Max|Ultra))?/i.exec(cpu);
	if (apple) {
		const id = `apple-${apple[1].toLowerCase()}${apple[2] ? `-${apple[2].toLowerCase()}` : ''}`;
		if (catalog.hardware.some((h) => h.id === id))
			return { hardwareId: id, note: `this machine (${cpu.trim()})` };
	}
	// Other CPUs: a catalog device whose distinctive model token (e.g. "7950x", "9654") appears in the string.
	const cpuWords = new Set(words(cpu));
	for (const h of catalog.hardware) {
		if (h.deviceClass !== 'cpu' || h.id.startsWith('browser-')) continue;
		const model = words(h.name).find((w) => /\d{3,}/.test(w));
		if (model && cpuWords.has(model)) return { hardwareId: h.id, note: `this machine (${cpu.trim()})` };
	}
	return undefined;
}
