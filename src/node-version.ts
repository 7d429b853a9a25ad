/** The Node.js major version the AWS SDK's releases after the first week of January 2027 need. */
const SDK_NODE_MAJOR = 22;

/**
 * The AWS SDK's own Node.js version warning, taken over so it is one line of ours (a pino line
 * in the server, a note in the demo) instead of a multi-line process warning printed in the
 * middle of other output: returns the notice for `version` (undefined on Node ≥ 22) and turns
 * the SDK's warning off (`AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED`) unless the
 * environment already decided. Call before the first SDK client is made.
 */
export function takeOverSdkNodeWarning(env: Record<string, string | undefined> = process.env, version = process.version): string | undefined {
  const major = Number(/^v(\d+)/.exec(version)?.[1]);
  if (!(major < SDK_NODE_MAJOR)) return undefined;
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return `Node.js ${version}: AWS SDK releases after the first week of January 2027 need Node.js >= ${SDK_NODE_MAJOR}`;
}
