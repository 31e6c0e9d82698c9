// The footer's language switcher: choosing a language submits the form (without script, its
// button does).
document.addEventListener("DOMContentLoaded", function () {
  var choice = document.getElementById("language-choice");
  if (choice) {
    choice.addEventListener("change", function () { choice.form.submit(); });
  }
});
