import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog } from '../../../server/src/analysis/catalog';
import { detectLocalMachine } from '../../../server/src/shared/localMachine';

const catalog = getCatalog();

test('an Apple SoC maps to its catalog GPU entry', () => {
	const m = detectLocalMachine(catalog, { platform: 'darwin', arch: 'arm64', cpuModel: 'Apple M2 Ultra' });
	assert.equal(m?.hardwareId, 'apple-m2-ultra');
	assert.equal(
		detectLocalMachine(catalog, { platform: 'darwin', arch: 'arm64', cpuModel: 'Apple M4' })?.hardwareId,
		'apple-m4',
	);
});

test('a desktop CPU string matches the catalog device by its model number', () => {
	const m = detectLocalMachine(catalog, {
		platform: 'linux',
		arch: 'x64',
		cpuModel: 'AMD Ryzen 9 7950X 16-Core Processor',
	});
	assert.equal(m?.hardwareId, 'ryzen-9-7950x');
});

test('an unknown CPU gives no guess, and a measured local-machine entry wins', () => {
	assert.equal(
		detectLocalMachine(catalog, {
			platform: 'linux',
			arch: 'x64',
			cpuModel: 'QEMU Virtual CPU version 2.5+',
		}),
		undefined,
	);
	const measured = {
		...catalog,
		hardware: [
			...catalog.hardware,
			{ ...catalog.hardware[0], id: 'local-machine', origin: 'measured' as const },
		],
	};
	assert.equal(
		detectLocalMachine(measured, { platform: 'linux', arch: 'x64', cpuModel: 'whatever' })?.hardwareId,
		'local-machine',
	);
});
