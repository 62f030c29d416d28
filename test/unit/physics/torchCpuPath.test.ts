/**
 * PyTorch's CPU matmul path per (ISA fact, dtype) (issue #12, physics/torchCpu.ts): 16-bit weights without a
 * native dot convert to fp32 at a calibrated per-core rate (cpuHalfRate.pytorch); compiled int8 weight-only with
 * non-bf16 activations streams a materialized copy. Each test checks the path choice and that the term moves
 * what it should and nothing else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog, resolveFormat, resolveKvDtype } from '../../../server/src/analysis/catalog/index';
import type { CpuSpec, HardwareSpec } from '../../../server/src/analysis/catalog/types';
import { CALIBRATED, withConstants } from '../../../server/src/analysis/physics/calibration';
import { estimate } from '../../../server/src/analysis/physics/index';
import { nativeHalfDot, torchCpuPath } from '../../../server/src/analysis/physics/torchCpu';
import type { Engine, EstimateInput } from '../../../server/src/analysis/physics/types';
import { decodeWeightRead } from '../../../server/src/analysis/physics/weights';
import { bf16DotFromLabel, cpuFromLabel } from '../../../server/src/cli/accuracy/ledgerLabels';

const cpu = (isa: CpuSpec['isa'], bf16Dot?: boolean): CpuSpec => ({
	cores: 8,
	threadsPerCore: 1,
	numaNodes: 1,
	ccds: 1,
	isa,
	bf16Dot,
	sources: [],
});

function fmt(id: string) {
	const f = resolveFormat(id, getCatalog());
	assert.ok(f, id);
	return f;
}
function kv(id: string) {
	const k = resolveKvDtype(id, getCatalog());
	assert.ok(k, id);
	return k;
}

/** A CPU host with the given facts, bandwidth from the catalog's EPYC 9654 entry. */
function host(spec: CpuSpec): HardwareSpec {
	const base = getCatalog().hardware.find((h) => h.id === 'epyc-9654');
	assert.ok(base);
	return { ...base, id: 'test-cpu', cpu: spec };
}

function input(engine: Engine, format: string, kvId: string, spec: CpuSpec): EstimateInput {
	const catalog = getCatalog();
	const model = catalog.models.find((m) => m.id === 'meta-llama/Llama-3.1-8B');
	assert.ok(model);
	return {
		model,
		hardware: host(spec),
		weights: fmt(format),
		kvDtype: kv(kvId),
		devices: 1,
		batch: 1,
		context: 512,
		prompt: 512,
		engine,
	};
}

const tps = (i: EstimateInput, values: Record<string, number> = {}) =>
	withConstants(values, () => estimate(i).decode.expectedTokensPerSecondPerUser);

test('native 16-bit dot: bf16 with AVX512_BF16/AMX/Arm BF16, fp16 only on AMX parts, fp32 always', () => {
	assert.equal(nativeHalfDot('bf16', cpu('amx')), true);
	assert.equal(nativeHalfDot('fp16', cpu('amx')), true);
	assert.equal(nativeHalfDot('bf16', cpu('avx512', true)), true);
	assert.equal(nativeHalfDot('bf16', cpu('avx512')), false, 'Skylake/Cascade/Ice Lake: no AVX512_BF16');
	assert.equal(nativeHalfDot('fp16', cpu('avx512', true)), false, 'Zen 4/Cooper Lake: no AVX512_FP16');
	assert.equal(nativeHalfDot('bf16', cpu('neon', true)), true, 'FEAT_BF16: vbfdotq_f32');
	assert.equal(
		nativeHalfDot('fp16', cpu('neon', true)),
		false,
		'fp16 on Arm runs fp32 arithmetic by default',
	);
	assert.equal(nativeHalfDot('bf16', cpu('avx2')), false);
	assert.equal(nativeHalfDot('fp32', cpu('avx2')), true);
	assert.ok(CALIBRATED['cpuHalfRate.pytorch'], 'cpuHalfRate.pytorch is a calibrated constant');
});

test('the path: 16-bit convert vs native, compiled int8 materialized only without bf16 activations, llama.cpp untouched', () => {
	const m1 = cpu('neon', false);
	assert.equal(torchCpuPath('pytorch', fmt('fp16'), kv('f16'), m1).kind, 'half-convert');
	assert.equal(torchCpuPath('pytorch', fmt('bf16'), kv('bf16'), m1).kind, 'half-convert');
	assert.equal(torchCpuPath('pytorch', fmt('bf16'), kv('bf16'), cpu('neon', true)).kind, 'half-native');
	assert.equal(torchCpuPath('pytorch', fmt('fp32'), kv('f32'), m1).kind, 'other');
	const mat = torchCpuPath('pytorch-compiled', fmt('int8'), kv('f16'), m1);
	assert.equal(mat.kind, 'woq-materialized');
	// int8 in (1 byte) + an fp16 copy written (2) and read back (2): 5× the int8 bytes.
	if (mat.kind === 'woq-materialized') assert.equal(mat.bytesFactor, 5);
	assert.equal(
		torchCpuPath('pytorch-compiled', fmt('int8'), kv('bf16'), m1).kind,
		'woq',
		'Inductor → int8pack_mm',
	);
	assert.equal(
		torchCpuPath('pytorch', fmt('int8'), kv('f16'), m1).kind,
		'woq',
		'eager torchchat: int8pack_mm',
	);
	assert.equal(
		torchCpuPath('pytorch-compiled', fmt('int4'), kv('f16'), m1).kind,
		'woq',
		'int4pack_mm directly',
	);
	assert.equal(torchCpuPath('llama.cpp', fmt('f16'), kv('f16'), m1).kind, 'other');
});

test('cpuHalfRate.pytorch binds 16-bit PyTorch decode only where the CPU has no native dot for the type', () => {
	const slow = { 'cpuHalfRate.pytorch': 0.2 };
	const fast = { 'cpuHalfRate.pytorch': 50 };
	const convert = input('pytorch', 'bf16', 'bf16', cpu('avx512', false));
	assert.ok(tps(convert, slow) < tps(convert, fast));
	// At 0.2×10⁹ weights/s on 8 cores the convert dominates: one step ≥ params / (rate × cores).
	const step = withConstants(slow, () => estimate(convert).decode.stepSeconds);
	const params = decodeWeightRead(convert.model, convert.weights, 1).paramsPerToken;
	assert.ok(step >= params / (0.2e9 * 8), `${step} s`);
	const e = withConstants(slow, () => estimate(convert).decode);
	assert.ok(e.efficiency.reasons.some((r) => /cpuHalfRate\.pytorch/.test(r)));
	const native = input('pytorch', 'bf16', 'bf16', cpu('avx512', true));
	assert.equal(tps(native, slow), tps(native, fast));
	const ggml = input('llama.cpp', 'bf16', 'bf16', cpu('avx512', false));
	assert.equal(tps(ggml, slow), tps(ggml, fast));
});

test('compiled int8 with fp16 activations is slower than with bf16 (materialized copy vs _weight_int8pack_mm)', () => {
	const spec = cpu('avx512', true);
	const f16 = input('pytorch-compiled', 'int8', 'f16', spec);
	const b16 = input('pytorch-compiled', 'int8', 'bf16', spec);
	const big = { 'cpuWoqRate.pytorch': 100, 'cpuHalfRate.pytorch': 100 };
	// Stream-bound (rates out of the way): 5 bytes per weight against 1.
	assert.ok(tps(f16, big) < tps(b16, big) / 3, `${tps(f16, big)} vs ${tps(b16, big)}`);
	const e = estimate(f16).decode;
	assert.ok(e.efficiency.reasons.some((r) => /materialized|cast kernel/.test(r)));
	// Eager keeps the int8pack_mm kernel whatever the activation type.
	const eager16 = input('pytorch', 'int8', 'f16', spec);
	const eager32 = input('pytorch', 'int8', 'bf16', spec);
	assert.equal(tps(eager16, big), tps(eager32, big));
});

test('ledger labels carry the bf16 dot fact: Cooper Lake, Zen 4, Apple M2+, Neoverse V2 yes; M1, Ice Lake, AVX2 no', () => {
	const has = (label: string) => cpuFromLabel(label)?.bf16Dot;
	assert.equal(has('Intel Xeon Platinum 8339HC 24C (Cooper Lake, 6ch DDR4-3200)'), true);
	assert.equal(has('Intel Xeon Platinum 8380 40C (Ice Lake)'), false);
	assert.equal(has('Intel Xeon Platinum 8468 (Sapphire Rapids, 48C)'), true);
	assert.equal(has('Apple M1 Max CPU, 10 cores (8P+2E)'), false);
	assert.equal(has('Apple M2 Pro CPU (12 cores, 8P+4E)'), true);
	assert.equal(has('AMD Ryzen 7 3700X 8C'), false);
	assert.equal(has('AMD EPYC 9654 96C'), true);
	assert.equal(bf16DotFromLabel('arm neoverse v2 server cpu', 'neon'), true);
	assert.equal(bf16DotFromLabel('raspberry pi 5 (cortex-a76 x4)', 'neon'), false);
	const m2max = getCatalog().hardware.find((h) => h.id === 'apple-m2-max');
	assert.equal(m2max?.cpu?.bf16Dot, true);
});

test('PyTorch on Apple cores streams at its own share (intra-op pool spans the E-cores); other CPUs and llama.cpp keep theirs', () => {
	const apple: CpuSpec = { ...cpu('neon', true), coreClass: 'apple' };
	const xeon = cpu('amx');
	const tps = (i: EstimateInput, values: Record<string, number>) =>
		withConstants(values, () => estimate(i).decode.expectedTokensPerSecondPerUser);
	const appleTorch = input('pytorch', 'bf16', 'bf16', apple);
	const xeonTorch = input('pytorch', 'bf16', 'bf16', xeon);
	const appleGgml = input('llama.cpp', 'q4_0', 'f16', apple);
	const lowApple = { 'cpuStreamShare.pytorch-apple': 0.2 };
	const lowOther = { 'cpuStreamShare.pytorch': 0.2 };
	// The Apple share moves the Apple PyTorch run only.
	assert.ok(tps(appleTorch, lowApple) < tps(appleTorch, {}) * 0.9);
	assert.equal(tps(appleTorch, lowOther), tps(appleTorch, {}));
	assert.equal(tps(xeonTorch, lowApple), tps(xeonTorch, {}));
	assert.ok(tps(xeonTorch, lowOther) < tps(xeonTorch, {}) * 0.9);
	assert.equal(tps(appleGgml, lowApple), tps(appleGgml, {}));
	assert.match(estimate(appleTorch).decode.efficiency.reasons.join(' '), /cpuStreamShare\.pytorch-apple/);
	assert.ok(CALIBRATED['cpuStreamShare.pytorch-apple'].prior < CALIBRATED['cpuStreamShare.pytorch'].prior);
});
