/*
 * The shell scripts of the build steps (Argo Workflows containers), apart from the templates that
 * run them (render/builds.ts). Inputs arrive as environment variables; outputs are files under
 * Paths.OUTPUTS.
 */

/** Where the build steps find their inputs and leave their outputs. @internal */
export const Paths = {
  WORKSPACE: '/workspace',
  SOURCE: '/workspace/source',
  OUTPUTS: '/tmp/outputs',
  GIT_SECRET: '/var/run/secrets/openchoreo/git',
  REGISTRY_SECRET: '/var/run/secrets/openchoreo/registry',
  SERVICE_ACCOUNT: '/var/run/secrets/kubernetes.io/serviceaccount',
} as const;

/** Shared by the build scripts: the tag, checked, and the outputs. */
const TAG_AND_OUTPUTS = `TAG="\${IMAGE_TAG:-git-$(printf '%s' "$COMMIT" | cut -c1-12)}"
case "$TAG" in
  ''|[.-]*|*[!A-Za-z0-9_.-]*) echo ">> invalid image tag '$TAG'" >&2; exit 1 ;;
esac
if [ "\${#TAG}" -gt 128 ]; then echo ">> image tag longer than 128 characters" >&2; exit 1; fi
mkdir -p ${Paths.OUTPUTS}
write_outputs() {
  case "$1" in
    sha256:*) ;;
    *) echo ">> the build reported no image digest" >&2; exit 1 ;;
  esac
  printf '%s' "$IMAGE:$TAG@$1" > ${Paths.OUTPUTS}/image
  printf '%s' "$1" > ${Paths.OUTPUTS}/digest
  echo ">> pushed $IMAGE:$TAG@$1"
}`;

/** The checkout step: fetch the revision, record the commit, drop `.git`. @internal */
export const CHECKOUT_SCRIPT = `set -eu
case "$REVISION" in
  ''|-*|*[!A-Za-z0-9._/-]*) echo ">> invalid revision '$REVISION'" >&2; exit 1 ;;
esac
mkdir -p ${Paths.OUTPUTS}
if [ -n "\${GIT_PASSWORD_FILE:-}" ]; then
  cat > /tmp/git-askpass <<'EOF'
#!/bin/sh
case "$1" in
  Username*) printf '%s\\n' "$GIT_USERNAME" ;;
  *) cat "$GIT_PASSWORD_FILE" ;;
esac
EOF
  chmod 700 /tmp/git-askpass
  export GIT_ASKPASS=/tmp/git-askpass GIT_TERMINAL_PROMPT=0
fi
git init -q ${Paths.SOURCE}
cd ${Paths.SOURCE}
git remote add origin "$REPOSITORY"
git fetch -q --depth 1 -- origin "$REVISION"
git -c advice.detachedHead=false checkout -q FETCH_HEAD
COMMIT="$(git rev-parse HEAD)"
printf '%s' "$COMMIT" > ${Paths.OUTPUTS}/commit
# The image gets the sources, not the repository's metadata.
rm -rf .git
echo ">> checked out $REPOSITORY $REVISION at $COMMIT"`;

/** The buildpacks step: the CNB lifecycle creator, then the image digest as outputs. @internal */
export const BUILDPACKS_SCRIPT = `set -eu
${TAG_AND_OUTPUTS}
APP="${Paths.SOURCE}/$SOURCE_PATH"
if [ ! -d "$APP" ]; then echo ">> source path '$SOURCE_PATH' is not a folder of the repository" >&2; exit 1; fi
set -- -app="$APP" -layers=/layers -platform=/platform -report=/layers/report.toml
if [ -n "\${RUN_IMAGE:-}" ]; then
  printf '[[images]]\\n  image = "%s"\\n' "$RUN_IMAGE" > /tmp/run.toml
  set -- "$@" -run=/tmp/run.toml
fi
if [ "$REGISTRY_CACHE" = true ]; then set -- "$@" -cache-image="$IMAGE:buildcache"; fi
/cnb/lifecycle/creator "$@" "$IMAGE:$TAG"
write_outputs "$(sed -n 's/^[[:space:]]*digest[[:space:]]*=[[:space:]]*"\\(sha256:[0-9a-f]*\\)".*/\\1/p' /layers/report.toml | head -n 1)"`;

/** The Dockerfile step: rootless BuildKit, then the image digest as outputs. @internal */
export const BUILDKIT_SCRIPT = `set -eu
${TAG_AND_OUTPUTS}
if [ ! -f "$DOCKERFILE_DIR/$DOCKERFILE_NAME" ]; then echo ">> no Dockerfile at $DOCKERFILE_DIR/$DOCKERFILE_NAME" >&2; exit 1; fi
if [ ! -d "$CONTEXT_DIR" ]; then echo ">> build context $CONTEXT_DIR is not a folder" >&2; exit 1; fi
set -- --frontend dockerfile.v0 --local "context=$CONTEXT_DIR" --local "dockerfile=$DOCKERFILE_DIR" --opt "filename=$DOCKERFILE_NAME"
set -- "$@" --opt "label:org.opencontainers.image.revision=$COMMIT" --opt "label:org.opencontainers.image.source=$REPOSITORY"
if [ "$REGISTRY_CACHE" = true ]; then
  set -- "$@" --import-cache "type=registry,ref=$IMAGE:buildcache" --export-cache "type=registry,ref=$IMAGE:buildcache,mode=max"
fi
buildctl-daemonless.sh build "$@" --output "type=image,name=$IMAGE:$TAG,push=true" --metadata-file /tmp/metadata.json
write_outputs "$(grep -o '"containerimage.digest": *"sha256:[0-9a-f]*"' /tmp/metadata.json | grep -o 'sha256:[0-9a-f]*' | head -n 1)"`;
