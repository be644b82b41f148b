// The shared Dockerfile reader: continuations, comments inside them, directives, heredocs and stages.
import { describe, expect, it } from 'vitest';
import { finalStage, imageReference, isTemplateDockerfile, keyValuePairs, parseDockerfile, stageChain, substitute } from '../../src/rules/_shared/dockerfile.js';

describe('parseDockerfile', () => {
  it('joins continuation lines and skips comments and blank lines inside them', () => {
    const file = parseDockerfile(['FROM debian:12', '', 'RUN apt-get update && \\', '    # tools for the build', '', '    apt-get install -y curl \\  ', '    && rm -rf /var/lib/apt/lists/*', 'USER app'].join('\n'));
    expect(file.instructions.map((i) => [i.keyword, i.line])).toEqual([['FROM', 1], ['RUN', 3], ['USER', 8]]);
    const run = file.instructions[1];
    expect(run.arguments).toBe('apt-get update &&     apt-get install -y curl     && rm -rf /var/lib/apt/lists/*');
    expect(run.endLine).toBe(7);
    expect(run.physicalLines.map((l) => l.line)).toEqual([3, 4, 5, 6, 7]);
  });

  it('reads multi-stage builds with stage names and parents', () => {
    const file = parseDockerfile(['FROM node:20 AS Build', 'RUN npm ci', 'FROM build as test', 'RUN npm test', 'FROM gcr.io/distroless/nodejs20:nonroot', 'COPY --from=build /app /app'].join('\n'));
    expect(file.stages.map((s) => [s.image, s.name, s.from.line])).toEqual([['node:20', 'build', 1], ['build', 'test', 3], ['gcr.io/distroless/nodejs20:nonroot', undefined, 5]]);
    expect(file.stages[1].parent).toBe(file.stages[0]);
    expect(stageChain(file.stages[1]).map((s) => s.index)).toEqual([1, 0]);
    const final = finalStage(file)!;
    expect(final.instructions[0].flags).toEqual([{ name: 'from', value: 'build' }]);
    expect(final.instructions[0].rest).toBe('/app /app');
  });

  it('substitutes ARGs declared before the first FROM in the image', () => {
    const file = parseDockerfile(['ARG NODE_VERSION=20', 'ARG VARIANT', 'ARG BASE=node:${NODE_VERSION}-alpine', 'FROM node:${NODE_VERSION}', 'FROM --platform=$BUILDPLATFORM ${BASE}', 'FROM python:${VARIANT}', 'FROM python:${VARIANT:-3.12}'].join('\n'));
    expect(file.globalArgs.get('NODE_VERSION')).toBe('20');
    expect(file.stages.map((s) => s.resolvedImage)).toEqual(['node:20', 'node:20-alpine', undefined, 'python:3.12']);
    expect(file.stages[1].from.flags).toEqual([{ name: 'platform', value: '$BUILDPLATFORM' }]);
  });

  it('honours the escape directive (backtick continuations)', () => {
    const file = parseDockerfile(['# escape=`', '# syntax=docker/dockerfile:1', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN powershell -Command `', '    Install-Thing C:\\tools\\', 'USER ContainerUser'].join('\n'));
    expect(file.directives).toEqual({ escape: '`', syntax: 'docker/dockerfile:1' });
    expect(file.escape).toBe('`');
    expect(file.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN', 'USER']);
    expect(file.instructions[1].arguments).toBe('powershell -Command     Install-Thing C:\\tools\\');
  });

  it('reads directives only at the top of the file', () => {
    const file = parseDockerfile(['# syntax=docker/dockerfile:1.7', '# check=skip=all', 'FROM alpine:3.20', '# escape=`', 'RUN echo \\', '  done'].join('\n'));
    expect(file.directives).toEqual({ syntax: 'docker/dockerfile:1.7', check: 'skip=all' });
    expect(file.instructions[1].arguments).toBe('echo   done');
  });

  it('keeps heredoc bodies out of the instruction stream', () => {
    const file = parseDockerfile(['FROM alpine:3.20', 'RUN <<EOF', 'USER root', 'FROM evil', 'EOF', 'COPY <<-"CONF" /etc/app.conf', '\tENV X=1', '\tCONF', 'RUN cat <<<"not a heredoc"', 'USER app'].join('\n'));
    expect(file.instructions.map((i) => [i.keyword, i.line])).toEqual([['FROM', 1], ['RUN', 2], ['COPY', 6], ['RUN', 9], ['USER', 10]]);
    expect(file.instructions[1].heredocs).toEqual([{ name: 'EOF', body: 'USER root\nFROM evil', line: 3 }]);
    expect(file.instructions[2].heredocs[0].body).toBe('ENV X=1');
    expect(file.stages).toHaveLength(1);
  });

  it('reads the JSON (exec) form of CMD and ENTRYPOINT, not a shell form starting with a bracket', () => {
    const file = parseDockerfile(['FROM python:3.12-slim', 'CMD ["uvicorn", "app.main:app", "--port", "8000"]', 'ENTRYPOINT [ "tini", "--" ]', 'CMD [not json]'].join('\n'));
    expect(file.instructions[1].json).toEqual(['uvicorn', 'app.main:app', '--port', '8000']);
    expect(file.instructions[2].json).toEqual(['tini', '--']);
    expect(file.instructions[3].json).toBeUndefined();
  });

  it('reads ENV and ARG pairs in both forms', () => {
    const file = parseDockerfile(['FROM alpine', 'ENV A=1 B="two words" C=$A', 'ENV LEGACY some value', 'ARG TOKEN', 'ARG X=1 Y'].join('\n'));
    const [, env, legacy, arg, args] = file.instructions;
    expect(keyValuePairs(env)).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: 'two words' }, { name: 'C', value: '$A' }]);
    expect(keyValuePairs(legacy)).toEqual([{ name: 'LEGACY', value: 'some value' }]);
    expect(keyValuePairs(arg)).toEqual([{ name: 'TOKEN', value: undefined }]);
    expect(keyValuePairs(args)).toEqual([{ name: 'X', value: '1' }, { name: 'Y', value: undefined }]);
  });
});

describe('helpers', () => {
  it('substitutes variables with defaults and alternatives', () => {
    const vars = new Map([['A', '1'], ['EMPTY', ''], ['UNSET', undefined]]);
    expect(substitute('x-${A}-$A', vars)).toBe('x-1-1');
    expect(substitute('${EMPTY:-d}|${EMPTY-d}|${A:+alt}', vars)).toBe('d||alt');
    expect(substitute('${UNSET}', vars)).toBeUndefined();
    expect(substitute('${MISSING:-fallback}', vars)).toBe('fallback');
  });

  it('splits image references', () => {
    expect(imageReference('node')).toEqual({ name: 'node', digest: undefined });
    expect(imageReference('registry:5000/team/app:1.2')).toEqual({ name: 'registry:5000/team/app', tag: '1.2', digest: undefined });
    expect(imageReference('alpine@sha256:abc')).toEqual({ name: 'alpine', digest: 'sha256:abc' });
  });

  it('recognises generator templates but not ARG substitution', () => {
    expect(isTemplateDockerfile('Dockerfile', parseDockerfile('FROM gcr.io/google-appengine/ruby:{base_image_tag}'))).toBe(true);
    expect(isTemplateDockerfile('Dockerfile.j2', parseDockerfile('FROM python:3.12'))).toBe(true);
    expect(isTemplateDockerfile('Dockerfile', parseDockerfile('ARG V=3.12\nFROM python:${V}-slim'))).toBe(false);
  });
});
