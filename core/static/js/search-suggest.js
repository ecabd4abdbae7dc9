/*
 * Suggestions for the search box in the header (progressive enhancement).
 *
 * As the visitor types, the titles the site's suggestion endpoint returns (the form's
 * data-suggest address) fill a native <datalist>, which the browser shows and makes
 * keyboard- and screen-reader-accessible. Without this script (or when a request fails)
 * the form works unchanged.
 */
(function () {
  "use strict";

  var DELAY = 200; // ms after the last keystroke
  var MIN_LENGTH = 2;

  function enhance(form) {
    var input = form.querySelector("input[type=search]");
    var url = form.getAttribute("data-suggest");
    if (!input || !url || !window.fetch) {
      return;
    }
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    form.appendChild(list);
    input.setAttribute("list", list.id);

    var timer = null;
    var asked = "";
    var pending = null;

    function show(titles) {
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      titles.forEach(function (title) {
        var option = document.createElement("option");
        option.value = title;
        list.appendChild(option);
      });
    }

    function ask() {
      var typed = input.value.trim().replace(/\s+/g, " ");
      if (typed === asked) {
        return;
      }
      asked = typed;
      if (pending) {
        pending.abort();
        pending = null;
      }
      if (typed.length < MIN_LENGTH) {
        show([]);
        return;
      }
      pending = window.AbortController ? new AbortController() : null;
      window
        .fetch(url + "?q=" + encodeURIComponent(typed), {
          headers: { Accept: "application/json" },
          credentials: "omit",
          signal: pending ? pending.signal : undefined,
        })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && data.query === asked && Array.isArray(data.suggestions)) {
            show(data.suggestions);
          }
        })
        .catch(function () {
          /* aborted or offline: the form still works without suggestions */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-suggest]"), enhance);
})();
