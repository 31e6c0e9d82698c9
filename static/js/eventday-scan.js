// Check-in desk: read a pass's QR code from a photo taken with the phone's camera (the file
// input opens the camera on phones), with the browser's BarcodeDetector where it exists and
// jsQR (static/vendor/jsqr, Apache-2.0) otherwise, then open the scanned pass. Without
// script, or when nothing is found, the code under the QR can be typed.
(function () {
  "use strict";
  var MAX_SIDE = 1280; // large photos are scaled down: jsQR's time grows with the pixels

  function canvasOf(image) {
    var scale = Math.min(1, MAX_SIDE / Math.max(image.width, image.height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(image.width * scale);
    canvas.height = Math.round(image.height * scale);
    canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
    return canvas;
  }

  function withJsQR(canvas) {
    if (typeof window.jsQR !== "function") {
      return null;
    }
    var context = canvas.getContext("2d");
    var pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    var found = window.jsQR(pixels.data, pixels.width, pixels.height);
    return found ? found.data : null;
  }

  function decode(canvas) {
    if ("BarcodeDetector" in window) {
      return new window.BarcodeDetector({ formats: ["qr_code"] })
        .detect(canvas)
        .then(function (codes) {
          return codes.length ? codes[0].rawValue : withJsQR(canvas);
        })
        .catch(function () {
          return withJsQR(canvas);
        });
    }
    return Promise.resolve(withJsQR(canvas));
  }

  // createImageBitmap reads the file without a blob: or data: URL, which the page's
  // Content-Security-Policy would have to allow as an image source.
  function loadImage(file) {
    if (window.createImageBitmap) {
      return window.createImageBitmap(file);
    }
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () {
        var image = new Image();
        image.onload = function () {
          resolve(image);
        };
        image.onerror = reject;
        image.src = reader.result; // a data: URL, allowed by img-src
      };
      reader.onerror = reject;
      reader.readAsDataURL(file);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-scan-form]");
    if (!form || !(window.jsQR || "BarcodeDetector" in window)) {
      return;
    }
    var camera = form.querySelector("[data-scan-camera]");
    var input = form.querySelector("[data-scan-file]");
    var status = form.querySelector("[data-scan-status]");
    camera.classList.remove("d-none");
    input.addEventListener("change", function () {
      if (!input.files.length) {
        return;
      }
      status.textContent = "Reading the code…";
      loadImage(input.files[0])
        .then(function (image) {
          return decode(canvasOf(image));
        })
        .then(function (text) {
          if (text) {
            status.textContent = "Pass found.";
            form.querySelector("[name=code]").value = text;
            form.submit();
          } else {
            status.textContent =
              "No QR code found in the photo: try again closer, or type the code under it.";
          }
        })
        .catch(function () {
          status.textContent = "The photo could not be read: type the code under the QR.";
        });
    });
  });
})();
