// "Fill with a random bid": puts a generated bid into the form for quick
// demos. Nothing is submitted until the user presses "Place bid".
'use strict';

document.addEventListener('DOMContentLoaded', () => {
  const button = document.getElementById('random-bid');
  if (!button) return;
  const items = [
    'Oak dresser',
    'Brass telescope',
    'Signed first edition',
    'Tin robot',
    'Art deco lamp',
    'Vinyl jukebox',
  ];
  const names = ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Edsger', 'Frances'];
  const pick = (list) => list[Math.floor(Math.random() * list.length)];
  button.addEventListener('click', () => {
    const set = (id, value) => {
      const input = document.getElementById(id);
      if (!input) return;
      input.value = value;
      input.classList.remove('is-invalid');
    };
    set('name', `${pick(names)} ${Math.floor(Math.random() * 900 + 100)}`);
    set('item', pick(items));
    set('price', String(Math.floor(Math.random() * 5000) + 1));
  });
});
