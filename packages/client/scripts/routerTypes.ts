import path from 'node:path';
import ts from 'typescript';

/**
 * Writes the AppRouter's types as a client sees them: every procedure's input and output spelled
 * out structurally, on top of @trpc/server's own procedure types. The router's declared type
 * carries the server's Context (its database, engine, logger...), which a declaration bundler
 * would copy along with every package behind it; a client needs none of it, only the data that
 * crosses the wire. Named types from the TypeScript lib and from @trpc/server stay by name (a
 * consumer has both); everything else is expanded, named types of our own becoming type aliases.
 */
export function expandRouterTypes(options: {
  /** A file exporting `appRouter` (the value) and `DomainErrorCode` (the union of error codes). */
  routerFile: string;
  compilerOptions: ts.CompilerOptions;
}): string {
  const program = ts.createProgram([options.routerFile], options.compilerOptions);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(options.routerFile);
  if (!source) throw new Error(`${options.routerFile}: not found`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${options.routerFile}: not a module`);
  const exports = new Map(checker.getExportsOfModule(moduleSymbol).map((s) => [s.name, s]));
  const routerSymbol = exports.get('appRouter');
  const codesSymbol = exports.get('DomainErrorCode');
  if (!routerSymbol || !codesSymbol)
    throw new Error(`${options.routerFile}: exports no appRouter or DomainErrorCode`);

  const trpcImports = new Set<string>();
  const coreImports = new Set<string>();
  const aliases = new Map<ts.Type, string>();
  const aliasBodies: string[] = [];
  const usedNames = new Set<string>();
  const inProgress = new Set<ts.Type>();
  const declared = new Set<string>();

  const isLib = (decl: ts.Declaration) => program.isSourceFileDefaultLibrary(decl.getSourceFile());
  const isTrpc = (decl: ts.Declaration) =>
    /[\\/]node_modules[\\/]@trpc[\\/]server[\\/]/.test(decl.getSourceFile().fileName);
  const isOurs = (decl: ts.Declaration) => !/[\\/]node_modules[\\/]/.test(decl.getSourceFile().fileName);

  const propertyName = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));
  const group = (text: string) => (/^[\w$.<>[\]"', ]+$/.test(text) ? text : `(${text})`);

  function uniqueName(base: string): string {
    let name = base.replace(/[^\w$]/g, '_');
    for (let i = 2; usedNames.has(name); i++) name = `${base}_${i}`;
    usedNames.add(name);
    return name;
  }

  function typeArgs(type: ts.Type): readonly ts.Type[] {
    return type.aliasTypeArguments ?? checker.getTypeArguments(type as ts.TypeReference) ?? [];
  }

  function named(type: ts.Type): string | undefined {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const decl = symbol?.declarations?.[0];
    if (!symbol || !decl) return undefined;
    const isReference =
      !!type.aliasSymbol ||
      (type.flags & ts.TypeFlags.Object && (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) ||
      symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class);
    if (!isReference) return undefined;
    const args = type.aliasSymbol
      ? (type.aliasTypeArguments ?? [])
      : checker.getTypeArguments(type as ts.TypeReference);
    const withArgs = (name: string) =>
      args.length ? `${name}<${args.map((a) => print(a)).join(', ')}>` : name;
    if (isLib(decl)) return withArgs(symbol.name);
    if (isTrpc(decl)) {
      // TrackedData (a subscription's events) is exported by the module @trpc/client reads it from.
      (symbol.name === 'TrackedData' ? coreImports : trpcImports).add(symbol.name);
      return withArgs(symbol.name);
    }
    return undefined;
  }

  function ownAlias(type: ts.Type): string | undefined {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const decl = symbol?.declarations?.[0];
    if (!symbol || !decl || !isOurs(decl)) return undefined;
    if (!(symbol.flags & (ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Interface | ts.SymbolFlags.Class)))
      return undefined;
    const known = aliases.get(type);
    if (known) return known;
    const name = uniqueName(symbol.name);
    aliases.set(type, name);
    declared.add(name);
    inProgress.add(type);
    try {
      aliasBodies.push(`type ${name} = ${expandNow(type)};`);
    } finally {
      inProgress.delete(type);
    }
    return name;
  }

  function print(type: ts.Type): string {
    const byName = named(type);
    if (byName) return byName;
    if (type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Union | ts.TypeFlags.Intersection)) {
      const alias = ownAlias(type);
      if (alias) return alias;
    }
    if (inProgress.has(type)) {
      // A recursive anonymous type: named so that it can refer to itself.
      const name = uniqueName('Recursive');
      aliases.set(type, name);
      return name;
    }
    return expand(type);
  }

  function expand(type: ts.Type): string {
    inProgress.add(type);
    try {
      const text = expandNow(type);
      const late = aliases.get(type);
      if (late && !declared.has(late)) {
        declared.add(late);
        aliasBodies.push(`type ${late} = ${text};`);
        return late;
      }
      return text;
    } finally {
      inProgress.delete(type);
    }
  }

  function expandNow(type: ts.Type): string {
    const f = type.flags;
    if (f & ts.TypeFlags.Any) return 'any';
    if (f & ts.TypeFlags.Unknown) return 'unknown';
    if (f & ts.TypeFlags.Never) return 'never';
    if (f & ts.TypeFlags.Void) return 'void';
    if (f & ts.TypeFlags.Undefined) return 'undefined';
    if (f & ts.TypeFlags.Null) return 'null';
    if (f & ts.TypeFlags.String) return 'string';
    if (f & ts.TypeFlags.Number) return 'number';
    if (f & ts.TypeFlags.Boolean) return 'boolean';
    if (f & ts.TypeFlags.BigInt) return 'bigint';
    if (f & ts.TypeFlags.ESSymbol) return 'symbol';
    if (f & ts.TypeFlags.NonPrimitive) return 'object';
    if (f & ts.TypeFlags.BooleanLiteral) return checker.typeToString(type);
    if (type.isStringLiteral()) return JSON.stringify(type.value);
    if (type.isNumberLiteral()) return String(type.value);
    if (f & ts.TypeFlags.TemplateLiteral) return checker.typeToString(type);
    if (f & ts.TypeFlags.UniqueESSymbol)
      throw new Error(`a unique symbol outside @trpc/server: ${checker.typeToString(type)}`);
    if (type.isUnion()) {
      const parts = type.types.map((t) => group(print(t)));
      return [...new Set(parts)].join(' | ');
    }
    if (type.isIntersection()) return type.types.map((t) => group(print(t))).join(' & ');
    if (f & ts.TypeFlags.Object) {
      if (checker.isTupleType(type)) {
        const target = (type as ts.TupleTypeReference).target;
        const items = checker.getTypeArguments(type as ts.TypeReference).map((t, i) => {
          const flags = target.elementFlags[i] ?? ts.ElementFlags.Required;
          if (flags & ts.ElementFlags.Rest) return `...Array<${print(t)}>`;
          return flags & ts.ElementFlags.Optional ? `${group(print(t))}?` : print(t);
        });
        return `${target.readonly ? 'readonly ' : ''}[${items.join(', ')}]`;
      }
      if (checker.isArrayType(type)) {
        const [item] = typeArgs(type);
        return `Array<${item ? print(item) : 'unknown'}>`;
      }
      return objectLiteral(type);
    }
    throw new Error(`cannot spell the type ${checker.typeToString(type)} (flags ${f})`);
  }

  function objectLiteral(type: ts.Type): string {
    const members: string[] = [];
    for (const sig of type.getCallSignatures()) members.push(signature(sig, ''));
    for (const info of checker.getIndexInfosOfType(type))
      members.push(`[key: ${print(info.keyType)}]: ${print(info.type)};`);
    for (const prop of checker.getPropertiesOfType(type)) {
      if (prop.name.startsWith('__@'))
        throw new Error(`a symbol-keyed property in ${checker.typeToString(type)}`);
      const optional = prop.flags & ts.SymbolFlags.Optional ? '?' : '';
      const propType = checker.getTypeOfSymbol(prop);
      const decl = prop.valueDeclaration ?? prop.declarations?.[0];
      const isMethod = decl && (ts.isMethodDeclaration(decl) || ts.isMethodSignature(decl));
      if (isMethod) {
        for (const sig of propType.getCallSignatures()) members.push(signature(sig, propertyName(prop.name)));
        continue;
      }
      members.push(`${propertyName(prop.name)}${optional}: ${print(propType)};`);
    }
    return members.length ? `{ ${members.join(' ')} }` : '{}';
  }

  function signature(sig: ts.Signature, name: string): string {
    if (sig.typeParameters?.length)
      throw new Error(`a generic function in the API: ${checker.signatureToString(sig)}`);
    const params = sig.getParameters().map((p) => {
      const decl = p.valueDeclaration as ts.ParameterDeclaration | undefined;
      const optional = decl && (decl.questionToken || decl.initializer) ? '?' : '';
      const rest = decl?.dotDotDotToken ? '...' : '';
      return `${rest}${propertyName(p.name)}${optional}: ${print(checker.getTypeOfSymbol(p))}`;
    });
    const ret = print(sig.getReturnType());
    return name ? `${name}(${params.join(', ')}): ${ret};` : `(${params.join(', ')}): ${ret};`;
  }

  /** The type of a property tRPC's router types always have; a tRPC upgrade that renames one fails here, by name. */
  function propertyType(type: ts.Type, name: string): ts.Type {
    const property = type.getProperty(name);
    if (!property) throw new Error(`tRPC's types have no ${name} on ${checker.typeToString(type)}`);
    return checker.getTypeOfSymbol(property);
  }

  function procedures(recordType: ts.Type): string {
    const members: string[] = [];
    for (const prop of checker.getPropertiesOfType(recordType)) {
      const value = checker.getTypeOfSymbol(prop);
      const def = value.getProperty('_def');
      const defType = def && checker.getTypeOfSymbol(def);
      if (defType?.getProperty('procedure')) {
        const kind = propertyType(defType, 'type');
        const $types = propertyType(defType, '$types');
        const input = propertyType($types, 'input');
        const output = propertyType($types, 'output');
        const procedure = {
          '"query"': 'TRPCQueryProcedure',
          '"mutation"': 'TRPCMutationProcedure',
          '"subscription"': 'TRPCSubscriptionProcedure',
        }[checker.typeToString(kind)];
        if (!procedure)
          throw new Error(`${prop.name}: a procedure of unknown type ${checker.typeToString(kind)}`);
        trpcImports.add(procedure);
        const doc = ts.displayPartsToString(prop.getDocumentationComment(checker));
        members.push(
          `${doc ? `/** ${doc.replace(/\*\//g, '* /').replace(/\n/g, ' ')} */ ` : ''}${propertyName(prop.name)}: ${procedure}<{ input: ${print(input)}; output: ${print(output)}; meta: object }>;`,
        );
      } else {
        members.push(`${propertyName(prop.name)}: ${procedures(value)};`);
      }
    }
    return `{ ${members.join(' ')} }`;
  }

  const resolved = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const routerType = checker.getTypeOfSymbol(resolved(routerSymbol));
  const routerDef = propertyType(routerType, '_def');
  const record = propertyType(routerDef, 'record');
  const config = propertyType(routerDef, '_config');
  const rootTypes = propertyType(config, '$types');
  const errorShape = propertyType(rootTypes, 'errorShape');
  const codes = checker.getDeclaredTypeOfSymbol(resolved(codesSymbol));

  const recordText = procedures(record);
  const errorText = print(errorShape);
  const codesText = expand(codes);
  trpcImports.add('TRPCBuiltRouter');
  return [
    `// Written by packages/client/scripts/routerTypes.ts from ${path.basename(options.routerFile)}: do not edit.`,
    `import type { ${[...trpcImports].sort().join(', ')} } from '@trpc/server';`,
    ...(coreImports.size
      ? [
          `import type { ${[...coreImports].sort().join(', ')} } from '@trpc/server/unstable-core-do-not-import';`,
        ]
      : []),
    ...aliasBodies,
    `/** Every code a Nexus server answers a failure with (its DomainError table), and INTERNAL. */`,
    `export type DomainErrorCode = ${codesText};`,
    `/** The shape of a failure as the server formats it. */`,
    `export type NexusErrorShape = ${errorText};`,
    `/** The Nexus server's API, as a client sees it: procedures, their inputs and their outputs. */`,
    `export type AppRouter = TRPCBuiltRouter<{ ctx: object; meta: object; errorShape: NexusErrorShape; transformer: false }, ${recordText}>;`,
    '',
  ].join('\n');
}
