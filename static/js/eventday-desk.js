// Check-in desk: check in and undo without reloading the page, so the search and the scroll
// position stay put on a phone. Without this script the forms post and redirect as usual.
(function () {
  "use strict";

  function replaceRow(form, data) {
    var row = form.closest("[data-testid=desk-row]");
    var holder = document.createElement("ul");
    holder.innerHTML = data.row.trim();
    var fresh = holder.firstElementChild;
    row.replaceWith(fresh);
    var counts = document.querySelector("[data-testid=desk-counts]");
    if (counts) {
      counts.innerHTML = data.counts;
    }
    var button = fresh.querySelector("button");
    if (button) {
      button.focus();
    }
  }

  function showError(form, message) {
    var alert = document.createElement("div");
    alert.className = "alert alert-danger mt-2 mb-0 w-100";
    alert.setAttribute("role", "alert");
    alert.textContent = message;
    form.closest("[data-testid=desk-row]").appendChild(alert);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-desk-form]") || !window.fetch) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (result) {
        if (result.ok) {
          replaceRow(form, result.data);
        } else {
          button.disabled = false;
          showError(form, result.data.error || "This did not work; reload the page.");
        }
      })
      .catch(function () {
        form.submit(); // fall back to the plain form
      });
  });
})();
