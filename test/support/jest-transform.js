// The jest transform (package.json "jest.transform", set in .projenrc.ts): TypeScript to CommonJS with
// esbuild, types stripped without checking them (`npm test` type-checks with tsc beside jest). ts-jest
// was already transpile-only here (isolatedModules), but a clean clone has no jest cache and each worker
// transpiled src/ and its generated bindings with the TypeScript compiler first (~10 s CPU per worker).
// A file that calls jest.mock needs ts-jest's hoisting of that call above its imports: those go to ts-jest.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const esbuild = require('esbuild');
const tsconfig = require('../../tsconfig.json');

// The compiler options that change emitted code (alwaysStrict: modules run in strict mode, as tsc emits them).
const { target, alwaysStrict, experimentalDecorators, esModuleInterop } = tsconfig.compilerOptions;
const options = {
  loader: 'ts',
  format: 'cjs',
  target: target.toLowerCase(),
  sourcemap: 'inline',
  tsconfigRaw: { compilerOptions: { target, alwaysStrict, experimentalDecorators, esModuleInterop, useDefineForClassFields: true } },
};

/** This file's own text: part of every cache key, so that editing the transform invalidates what it cached. */
const SELF = fs.readFileSync(__filename, 'utf8');

let tsJest;
function hoisting() {
  tsJest ??= require('ts-jest').default.createTransformer({ tsconfig: 'test/tsconfig.json' });
  return tsJest;
}

const needsHoisting = source => /\bjest\.(mock|unmock|enableAutomock|disableAutomock|deepUnmock)\(/.test(source);

module.exports = {
  canInstrument: false,
  process(source, filename, transformOptions) {
    if (needsHoisting(source)) return hoisting().process(source, filename, transformOptions);
    return { code: esbuild.transformSync(source, { ...options, sourcefile: filename }).code };
  },
  getCacheKey(source, filename, transformOptions) {
    if (needsHoisting(source)) return hoisting().getCacheKey(source, filename, transformOptions);
    return crypto.createHash('sha256')
      .update(`${SELF}\0esbuild ${esbuild.version}\0${JSON.stringify(options)}\0${filename}\0${transformOptions.configString}\0`).update(source)
      .digest('hex');
  },
};
