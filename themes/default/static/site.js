// Progressive enhancement shared by every page (an external file: the CSP forbids inline
// scripts). Without JavaScript every page works; this only adds what needs it.
(() => {
  'use strict';
  // The home search goes to the script-free results page without JavaScript, and to the
  // full search page with it.
  for (const form of document.querySelectorAll('form[data-js-action]')) {
    form.action = form.dataset.jsAction;
  }
  // "Copier le lien" and "Imprimer", hidden in the HTML so that no dead button shows.
  for (const box of document.querySelectorAll('[data-share]')) {
    const status = box.querySelector('[data-share-status]');
    const say = (text) => { if (status) status.textContent = text; };
    const copy = box.querySelector('[data-copy-link]');
    if (copy) {
      copy.addEventListener('click', async () => {
        const url = copy.dataset.copyLink || location.href;
        try {
          await navigator.clipboard.writeText(url);
          say('Lien copié.');
        } catch {
          say(`Copiez ce lien : ${url}`);
        }
      });
    }
    const print = box.querySelector('[data-print]');
    if (print) {
      if (typeof window.print === 'function') {
        print.addEventListener('click', () => window.print());
      } else {
        print.remove();
      }
    }
    box.hidden = false;
  }
  // A printed page shows its folded sections (administrative information).
  window.addEventListener('beforeprint', () => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
})();
