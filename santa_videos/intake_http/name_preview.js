// "Hear how Santa says it": posts the form's name, its phonetic spelling, the video's language and the order id to
// /name-preview and plays the audio answer on the page. Refusals are shown as the intake words them, in the page's
// language (`?lang=`).
(function () {
  "use strict";
  var button = document.getElementById("preview-button");
  if (!button) return;
  var form = button.form;
  var audio = document.getElementById("preview-audio");
  var note = document.getElementById("preview-note");
  var problems = document.getElementById("preview-errors");
  var wording = JSON.parse(document.getElementById("preview-wording").textContent);

  function show(text, errors) {
    note.textContent = text;
    problems.replaceChildren();
    (errors || []).forEach(function (error) {
      var item = document.createElement("li");
      item.textContent = error;
      problems.appendChild(item);
    });
  }

  async function errorsOf(answer) {
    try {
      var body = await answer.json();
      return Array.isArray(body.errors) ? body.errors.map(String) : [];
    } catch (notJson) {
      return [];
    }
  }

  button.addEventListener("click", async function () {
    var name = form.elements.child_name.value.trim();
    var phonetic = form.elements.phonetic_name.value.trim();
    if (!name) {
      show(wording.name_first);
      return;
    }
    button.disabled = true;
    show(wording.working);
    try {
      var answer = await fetch("/name-preview?lang=" + encodeURIComponent(document.documentElement.lang), {
        method: "POST",
        headers: {"Content-Type": "application/json", "Accept": "audio/wav, application/json"},
        body: JSON.stringify({
          child_name: name,
          phonetic_name: phonetic || null,
          language: form.elements.language.value,
          order_id: form.elements.order_id.value,
        }),
      });
      if (answer.ok) {
        // Santa's phrasing follows the order id: the order must be sent with the one the preview was made for.
        form.elements.order_id.value = answer.headers.get("Santa-Order-Id") || form.elements.order_id.value;
        if (audio.src) URL.revokeObjectURL(audio.src);
        audio.src = URL.createObjectURL(await answer.blob());
        audio.hidden = false;
        show(phonetic ? wording.respelled : wording.respell);
        // A browser may refuse to play before the page was interacted with enough; the controls still play it.
        audio.play().catch(function () {});
      } else {
        var errors = await errorsOf(answer);
        show(errors.length ? "" : wording.failed, errors);
      }
    } catch (unreachable) {
      show(wording.failed);
    } finally {
      button.disabled = false;
    }
  });
})();
