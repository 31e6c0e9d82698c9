// The day page: a meeting's status changes without reloading the page, so a helper on a
// phone keeps their place in the list. The card (and the slot's refill panel) come back
// rendered by the server. Without this script the forms post and redirect to the card.
(function () {
  "use strict";

  function fromHtml(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    return holder.firstElementChild;
  }

  function showError(card, message) {
    var box = card.querySelector(".meeting-error");
    if (box) {
      box.innerHTML = "";
      var alert = document.createElement("div");
      alert.className = "alert alert-danger mt-2 mb-0";
      alert.textContent = message;
      box.appendChild(alert);
    }
  }

  function update(card, data) {
    var fresh = fromHtml(data.card);
    card.replaceWith(fresh);
    if (data.refill) {
      var holder = document.querySelector("[data-refill-holder]");
      if (holder) {
        holder.innerHTML = data.refill;
      }
    }
    if (data.error) {
      showError(fresh, data.error);
    }
    var status = fresh.querySelector("[data-testid=meeting-status]");
    if (status) {
      status.setAttribute("tabindex", "-1");
      status.focus({ preventScroll: true });
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-card-form]") || !window.fetch) {
      return;
    }
    event.preventDefault();
    var card = form.closest("[data-testid=meeting-card]");
    var buttons = card.querySelectorAll("button");
    buttons.forEach(function (button) {
      button.disabled = true;
    });
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        if (data.card) {
          update(card, data);
        } else {
          buttons.forEach(function (button) {
            button.disabled = false;
          });
          showError(card, data.error || "This did not work; reload the page.");
        }
      })
      .catch(function () {
        form.submit(); // fall back to the plain form
      });
  });
})();
