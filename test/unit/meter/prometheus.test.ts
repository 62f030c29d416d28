import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
	firstPresent,
	labelValues,
	parsePrometheusText,
	samplesNamed,
	sumAndCount,
	sumOf,
} from '../../../server/src/meter/prometheus';

const VLLM = `# HELP vllm:generation_tokens_total Number of generation tokens processed.
# TYPE vllm:generation_tokens_total counter
vllm:generation_tokens_total{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 12345.0
# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 7.0
# HELP vllm:inter_token_latency_seconds Histogram of inter-token latency in seconds.
# TYPE vllm:inter_token_latency_seconds histogram
vllm:inter_token_latency_seconds_bucket{engine="0",le="0.01",model_name="m"} 10.0
vllm:inter_token_latency_seconds_bucket{engine="0",le="0.025",model_name="m"} 90.0
vllm:inter_token_latency_seconds_bucket{engine="0",le="+Inf",model_name="m"} 100.0
vllm:inter_token_latency_seconds_count{engine="0",model_name="m"} 100.0
vllm:inter_token_latency_seconds_sum{engine="0",model_name="m"} 1.5
`;

test('reads HELP, TYPE, labels and values into families', () => {
	const p = parsePrometheusText(VLLM);
	assert.deepEqual(p.errors, []);
	assert.equal(p.samples.length, 7);
	const gen = p.families.get('vllm:generation_tokens_total');
	assert.equal(gen?.type, 'counter');
	assert.equal(gen?.help, 'Number of generation tokens processed.');
	assert.equal(gen?.samples[0].value, 12345);
	assert.equal(gen?.samples[0].labels.model_name, 'meta-llama/Llama-3.1-8B-Instruct');
	// Bucket, count and sum samples belong to the histogram family, not families of their own.
	const h = p.families.get('vllm:inter_token_latency_seconds');
	assert.equal(h?.type, 'histogram');
	assert.equal(h?.samples.length, 5);
	assert.equal(p.families.has('vllm:inter_token_latency_seconds_bucket'), false);
	assert.equal(samplesNamed(p, 'vllm:inter_token_latency_seconds_bucket', { le: '+Inf' })[0].value, 100);
	assert.deepEqual(sumAndCount(p, 'vllm:inter_token_latency_seconds'), { sum: 1.5, count: 100 });
});

test('label values keep escaped quotes, backslashes and newlines; labels may end with a comma', () => {
	const p = parsePrometheusText('m{path="C:\\\\dir\\\\x",say="a \\"quote\\"",multi="l1\\nl2",} 1\n');
	assert.deepEqual(p.errors, []);
	assert.deepEqual(p.samples[0].labels, { path: 'C:\\dir\\x', say: 'a "quote"', multi: 'l1\nl2' });
});

test('NaN, +Inf, -Inf, exponents and timestamps parse; NaN is skipped when summing', () => {
	const p = parsePrometheusText(
		['a NaN', 'b +Inf', 'c -Inf', 'd 1.5e3 1712345678000', 'e{x="1"} 2', 'e{x="2"} NaN', 'f -0.25'].join(
			'\n',
		),
	);
	assert.deepEqual(p.errors, []);
	assert.ok(Number.isNaN(p.samples[0].value));
	assert.equal(p.samples[1].value, Infinity);
	assert.equal(p.samples[2].value, -Infinity);
	assert.equal(p.samples[3].value, 1500);
	assert.equal(p.samples[3].timestampMs, 1712345678000);
	assert.equal(sumOf(p, 'e'), 2);
	assert.equal(sumOf(p, 'f'), -0.25);
	assert.equal(sumOf(p, 'missing'), undefined);
});

test('malformed lines are reported with their line number and skipped; good lines around them survive', () => {
	const text = [
		'# TYPE good counter', // 1
		'good_total 1', // 2
		'good 3', // 3
		'bad{x="unterminated} 1', // 4
		'bad2{x=unquoted} 1', // 5
		'bad3 not_a_number', // 6
		'{x="1"} 5', // 7: no name
		'bad4 1 2 3', // 8: trailing junk
		'# TYPE t wibble', // 9: unknown type
		'bad5{x="\\q"} 1', // 10: unknown escape
		'after 42', // 11
	].join('\n');
	const p = parsePrometheusText(text);
	assert.deepEqual(
		p.errors.map((e) => e.line),
		[4, 5, 6, 7, 8, 9, 10],
	);
	assert.match(p.errors[0].message, /not terminated/);
	assert.match(p.errors[1].message, /not quoted/);
	assert.match(p.errors[2].message, /not a number/);
	assert.match(p.errors[5].message, /unknown metric type "wibble"/);
	assert.equal(sumOf(p, 'after'), 42);
	assert.equal(sumOf(p, 'good'), 3);
});

test('a second TYPE line for a family is an error and the first stands', () => {
	const p = parsePrometheusText('# TYPE x gauge\n# TYPE x counter\nx 1\n');
	assert.equal(p.errors.length, 1);
	assert.match(p.errors[0].message, /second TYPE/);
	assert.equal(p.families.get('x')?.type, 'gauge');
});

test('OpenMetrics: # EOF ends the exposition and _total samples join a counter family named without it', () => {
	const p = parsePrometheusText('# TYPE req counter\nreq_total 5\nreq_created 1.7e9\n# EOF\nignored 1\n');
	assert.deepEqual(p.errors, []);
	assert.equal(p.families.get('req')?.samples.length, 2);
	assert.equal(sumOf(p, 'ignored'), undefined);
});

test('summaries group quantiles, _sum and _count; CRLF line ends and blank lines are fine', () => {
	const text =
		'# TYPE lat summary\r\nlat{quantile="0.5"} 0.1\r\n\r\nlat{quantile="0.99"} 0.4\r\nlat_sum 12\r\nlat_count 60\r\n';
	const p = parsePrometheusText(text);
	assert.deepEqual(p.errors, []);
	assert.equal(p.families.get('lat')?.samples.length, 4);
	assert.deepEqual(sumAndCount(p, 'lat'), { sum: 12, count: 60 });
});

test('helpers: first present name, label values', () => {
	const p = parsePrometheusText('vllm:gpu_cache_usage_perc{model_name="a"} 0.5\nx{model_name="b"} 1\n');
	assert.equal(
		firstPresent(p, ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc']),
		'vllm:gpu_cache_usage_perc',
	);
	assert.deepEqual(labelValues(p, 'model_name').sort(), ['a', 'b']);
	assert.deepEqual(labelValues(p, 'model_name', ['x']), ['b']);
});

test('HELP text unescapes \\\\ and \\n', () => {
	const p = parsePrometheusText('# HELP h line one\\nline two \\\\ end\nh 1\n');
	assert.equal(p.families.get('h')?.help, 'line one\nline two \\ end');
});
