import type { FamilyLang } from '../../../contracts/rules';
import { escapeHtml } from '../pass/pass.view';
import type { FamilyPhotoPerson } from './photos.repo';

/**
 * The family's own photo form (DESIGN §16), on its pickup pass and its pre-check-in page: one small
 * form per child and guardian (a file input that opens the front camera on a phone, the consent
 * tick naming the guardian, an upload button). The upload is a same-origin PUT of the image from
 * the served script FAMILY_PHOTO_SCRIPT_PATH (the CSP allows no inline script); without script the
 * section stays hidden and the page works as before.
 */
export const FAMILY_PHOTO_SCRIPT_PATH = '/family-photo.js';

export const PHOTO_WORDS: Record<
  FamilyLang,
  {
    title: string;
    help: string;
    onFile: string;
    none: string;
    consent: string;
    upload: string;
    sending: string;
    saved: string;
    failed: string;
    tooBig: string;
    choose: string;
  }
> = {
  en: {
    title: 'Photos for pickup',
    help: 'At pickup, volunteers compare faces with these photos. Take one of each child and each parent who picks up.',
    onFile: 'photo on file',
    none: 'no photo yet',
    consent: 'consents to this photo being kept for pickup checks',
    upload: 'Upload photo',
    sending: 'Uploading…',
    saved: 'Saved ✓',
    failed: 'The photo could not be saved.',
    tooBig: 'The photo is larger than 10 MB.',
    choose: 'Choose or take a photo first.',
  },
  es: {
    title: 'Fotos para la recogida',
    help: 'Al recoger, los voluntarios comparan las caras con estas fotos. Tome una de cada niño y de cada padre que recoge.',
    onFile: 'foto guardada',
    none: 'sin foto',
    consent: 'autoriza que esta foto se guarde para verificar la recogida',
    upload: 'Subir foto',
    sending: 'Subiendo…',
    saved: 'Guardada ✓',
    failed: 'No se pudo guardar la foto.',
    tooBig: 'La foto pesa más de 10 MB.',
    choose: 'Primero elija o tome una foto.',
  },
};

export const FAMILY_PHOTO_STYLE = `
  .photo-form{border-top:1px solid #e7eaf1;padding:12px 0;text-align:left} .photo-form:first-of-type{border-top:0}
  .photo-form input[type=file]{display:block;margin:8px 0;max-width:100%} .photo-form select{font-size:1rem}
  .photo-form .consent{display:block;margin:6px 0;font-size:.95rem} .photo-status{min-height:1.2em;margin:6px 0 0;font-size:.95rem}
`;

/** The photo section for a family; `base` is the token's path (`/pass/<token>` or `/precheck/<token>`). */
export function renderFamilyPhotos(people: FamilyPhotoPerson[], base: string, lang: FamilyLang): string {
  const w = PHOTO_WORDS[lang];
  const guardians = people.filter((p) => p.kind === 'guardian');
  if (!guardians.length) return '';
  const forms = people
    .map((p) => {
      const options = guardians
        .map(
          (g) =>
            `<option value="${escapeHtml(g.id)}"${p.kind === 'guardian' && g.id === p.id ? ' selected' : ''}>${escapeHtml(`${g.first_name} ${g.last_name}`)}</option>`,
        )
        .join('');
      return `<form class="photo-form" data-photo-form data-action="${escapeHtml(`${base}/photos/${p.kind}/${p.id}`)}">
  <p><strong>${escapeHtml(p.first_name)}</strong> · <span class="muted" data-photo-state>${escapeHtml(p.has_photo ? w.onFile : w.none)}</span></p>
  <input type="file" name="photo" accept="image/*" capture="user" aria-label="${escapeHtml(`${w.upload}: ${p.first_name}`)}">
  <label class="consent"><input type="checkbox" name="consent" required> <select name="consentBy">${options}</select> ${escapeHtml(w.consent)}</label>
  <button type="submit">${escapeHtml(w.upload)}</button>
  <p class="photo-status" role="status" aria-live="polite"></p>
</form>`;
    })
    .join('\n');
  return `<section class="card family-photos" id="family-photos" hidden data-sending="${escapeHtml(w.sending)}" data-saved="${escapeHtml(w.saved)}" data-failed="${escapeHtml(w.failed)}" data-too-big="${escapeHtml(w.tooBig)}" data-choose="${escapeHtml(w.choose)}" data-on-file="${escapeHtml(w.onFile)}">
  <style>${FAMILY_PHOTO_STYLE}</style>
  <h2>${escapeHtml(w.title)}</h2>
  <p class="muted">${escapeHtml(w.help)}</p>
  ${forms}
</section>
<script src="${FAMILY_PHOTO_SCRIPT_PATH}" defer></script>`;
}

/**
 * The served script (same origin, so the CSP's script-src 'self' allows it): shows the photo
 * section, and sends each form's image as the body of a PUT with the consenting guardian's id.
 * An image the server does not take (HEIC from some phones) is first drawn to a canvas and sent as
 * JPEG; the server re-encodes everything anyway.
 */
export const FAMILY_PHOTO_SCRIPT = `(function () {
  'use strict';
  var MAX = 10 * 1024 * 1024;
  var TYPES = ['image/jpeg', 'image/png', 'image/webp'];
  var section = document.getElementById('family-photos');
  if (!section || !window.fetch) return;
  section.hidden = false;
  var words = section.dataset;
  function asJpeg(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () {
        var scale = Math.min(1, 2048 / Math.max(img.naturalWidth, img.naturalHeight));
        var canvas = document.createElement('canvas');
        canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
        canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
        canvas.getContext('2d').drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (b) { if (b) resolve(b); else reject(new Error('convert')); }, 'image/jpeg', 0.9);
      };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error('read')); };
      img.src = url;
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('form[data-photo-form]'), function (form) {
    var status = form.querySelector('.photo-status');
    var button = form.querySelector('button');
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var file = form.elements.photo.files && form.elements.photo.files[0];
      if (!file) { status.textContent = words.choose; return; }
      button.disabled = true;
      status.textContent = words.sending;
      var ready = TYPES.indexOf(file.type) >= 0 ? Promise.resolve(file) : asJpeg(file);
      ready
        .then(function (blob) {
          if (blob.size > MAX) throw new Error(words.tooBig);
          var url = form.dataset.action + '?consentBy=' + encodeURIComponent(form.elements.consentBy.value);
          return fetch(url, { method: 'PUT', headers: { 'Content-Type': blob.type }, body: blob, credentials: 'same-origin' });
        })
        .then(function (res) {
          if (res.ok) {
            status.textContent = words.saved;
            form.querySelector('[data-photo-state]').textContent = words.onFile;
            form.elements.photo.value = '';
            return;
          }
          return res.json().then(
            function (b) { status.textContent = (b && b.error && b.error.message) || words.failed; },
            function () { status.textContent = words.failed; }
          );
        })
        .catch(function (err) { status.textContent = (err && err.message === words.tooBig) ? words.tooBig : words.failed; })
        .then(function () { button.disabled = false; });
    });
  });
})();
`;
