// The OTEL_* settings as the specification gives them, and the service's one documented departure (its default
// sampler when OTEL_TRACES_SAMPLER is unset). tracing.int.test.ts shows a running service honouring them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SAMPLING_RATIO, otlpProtocolFrom, samplerFrom } from './tracing.ts';

test('OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG', () => {
  // Neither set: the service's default, parent-based at 1 %.
  assert.deepEqual(samplerFrom({}), { name: 'parentbased_traceidratio', ratio: DEFAULT_SAMPLING_RATIO });
  assert.equal(DEFAULT_SAMPLING_RATIO, 0.01);
  // Only the argument: that default sampler at the ratio given.
  assert.deepEqual(samplerFrom({ OTEL_TRACES_SAMPLER_ARG: '0.25' }), { name: 'parentbased_traceidratio', ratio: 0.25 });
  // A ratio sampler named without its argument: the specification's 1.0, not the service's 1 %.
  assert.deepEqual(samplerFrom({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio' }), {
    name: 'parentbased_traceidratio',
    ratio: 1,
  });
  assert.deepEqual(samplerFrom({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.5' }), {
    name: 'traceidratio',
    ratio: 0.5,
  });
  // The argument belongs to the ratio samplers only; the others ignore it, as specified.
  assert.deepEqual(samplerFrom({ OTEL_TRACES_SAMPLER: 'Always_Off', OTEL_TRACES_SAMPLER_ARG: '0.5' }), {
    name: 'always_off',
  });
  assert.deepEqual(samplerFrom({ OTEL_TRACES_SAMPLER: 'parentbased_always_on' }), { name: 'parentbased_always_on' });
  assert.throws(
    () => samplerFrom({ OTEL_TRACES_SAMPLER: 'jaeger_remote' }),
    /^ConfigError: OTEL_TRACES_SAMPLER must be one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio; got "jaeger_remote"$/,
  );
  assert.throws(
    () => samplerFrom({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' }),
    /^ConfigError: OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, got "1.5"$/,
  );
});

test('OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL over it', () => {
  assert.equal(otlpProtocolFrom({}), 'http/protobuf');
  assert.equal(otlpProtocolFrom({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }), 'http/json');
  assert.equal(
    otlpProtocolFrom({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' }),
    'http/protobuf',
  );
  assert.throws(
    () => otlpProtocolFrom({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
    /^ConfigError: OTEL_EXPORTER_OTLP_PROTOCOL must be http\/protobuf or http\/json, got "grpc"$/,
  );
});
