// Keyboard shortcuts of the counter screen: a digit logs that category, P a petition
// assisted — unless the person is typing in a field.
document.addEventListener("keydown", function (event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  var target = event.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  var key = event.key.toLowerCase();
  var button = document.querySelector('#visit-form [data-shortcut="' + key + '"]');
  if (button) {
    event.preventDefault();
    button.click();
  }
});
