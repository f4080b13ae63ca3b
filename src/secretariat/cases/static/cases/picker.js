/* 受分辦者 type-ahead picker (ARIA combobox with a listbox, list autocomplete with automatic
   selection). htmx fetches the matches into the listbox as the person types; this file only
   handles the keyboard and the choice, so no inline script is needed (CSP).
   Keys: ArrowDown / ArrowUp move through the matches, Enter chooses the highlighted one,
   Escape closes the list (a second Escape clears the text). In a multiple picker a choice is
   added to the list above the text box, each with its 移除 button. */
(function () {
  "use strict";

  function parts(input) {
    var picker = input.closest(".picker");
    return {
      picker: picker,
      listbox: document.getElementById(input.getAttribute("aria-controls")),
      value: picker.querySelector("[data-picker-value]"),
      chosen: picker.querySelector(".picker-chosen"),
      warning: picker.querySelector(".picker-warning[aria-live]"),
      multiple: picker.dataset.picker === "multiple"
    };
  }

  function options(listbox) {
    return Array.prototype.filter.call(listbox.querySelectorAll("[role=option]"), function (o) {
      return o.getAttribute("aria-disabled") !== "true";
    });
  }

  function open(input, p) {
    var found = p.listbox.querySelectorAll("[role=option]").length > 0;
    p.listbox.hidden = !found;
    input.setAttribute("aria-expanded", found ? "true" : "false");
    var first = options(p.listbox)[0];
    highlight(input, p, first || null);
  }

  function close(input, p) {
    p.listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(input, p, option) {
    options(p.listbox).forEach(function (o) {
      o.setAttribute("aria-selected", o === option ? "true" : "false");
    });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function active(p) {
    return p.listbox.querySelector("[role=option][aria-selected=true]");
  }

  function choose(input, p, option) {
    var value = option.dataset.value, label = option.dataset.label;
    var warning = option.dataset.warning || "";
    if (p.multiple) {
      var known = p.chosen.querySelector('[data-value="' + value + '"]');
      if (!known) {
        var name = p.picker.dataset.name;
        var item = document.createElement("li");
        item.dataset.value = value;
        var text = document.createElement("span");
        text.textContent = label;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "secondary picker-remove";
        remove.textContent = "移除";
        remove.setAttribute("aria-label", "移除 " + label);
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = name;
        hidden.value = value;
        item.append(text, " ", remove, hidden);
        if (warning) {
          var note = document.createElement("span");
          note.className = "picker-warning";
          note.textContent = warning;
          item.append(note);
        }
        p.chosen.append(item);
      }
      input.value = "";
      p.warning.textContent = "已加入" + label + "。" + warning;
    } else {
      p.value.value = value;
      input.value = label;
      input.dataset.chosen = label;
      p.warning.textContent = warning;
    }
    close(input, p);
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(".picker [role=combobox]")) return;
    var p = parts(input), list = options(p.listbox), current = active(p);
    var index = list.indexOf(current);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!list.length) return;
      event.preventDefault();
      if (p.listbox.hidden) { open(input, p); return; }
      var step = event.key === "ArrowDown" ? 1 : -1;
      highlight(input, p, list[(index + step + list.length) % list.length]);
    } else if (event.key === "Enter") {
      if (!p.listbox.hidden && current) {
        event.preventDefault();  // choose, do not send the form
        choose(input, p, current);
      }
    } else if (event.key === "Escape") {
      if (!p.listbox.hidden) {
        event.preventDefault();
        close(input, p);
      } else if (input.value) {
        event.preventDefault();
        input.value = "";
        if (p.value) p.value.value = "";
      }
    }
  });

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(".picker [role=combobox]")) return;
    var p = parts(input);
    // The text no longer names the chosen agency: it is resolved again from what is typed.
    if (p.value && input.value !== input.dataset.chosen) {
      p.value.value = "";
      p.warning.textContent = "";
    }
    if (!input.value.trim()) close(input, p);
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest(".picker [role=option]");
    if (option && option.getAttribute("aria-disabled") !== "true") {
      var input = option.closest(".picker").querySelector("[role=combobox]");
      choose(input, parts(input), option);
      input.focus();
      return;
    }
    var remove = event.target.closest && event.target.closest(".picker-remove");
    if (remove) {
      var picker = remove.closest(".picker");
      var label = remove.closest("li").querySelector("span").textContent;
      remove.closest("li").remove();
      picker.querySelector(".picker-warning[aria-live]").textContent = "已移除" + label + "。";
      picker.querySelector("[role=combobox]").focus();
    }
  });

  document.addEventListener("focusout", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(".picker [role=combobox]")) return;
    var p = parts(input);
    // Leave the list open while the pointer is choosing from it.
    if (!p.picker.contains(event.relatedTarget)) close(input, p);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var listbox = event.detail.target;
    if (!listbox.matches || !listbox.matches(".picker [role=listbox]")) return;
    var input = listbox.closest(".picker").querySelector("[role=combobox]");
    if (document.activeElement === input && input.value.trim()) open(input, parts(input));
    else close(input, parts(input));
  });

  // The page was rendered with a chosen lead: remember its name as the chosen one's.
  document.querySelectorAll(".picker [data-picker-value]").forEach(function (hidden) {
    var input = hidden.closest(".picker").querySelector("[role=combobox]");
    if (hidden.value) input.dataset.chosen = input.value;
  });
})();
