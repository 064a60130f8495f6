# Sourced by the tools/train tests: make_tiny_imdb DIR COUNT makes DIR/aclImdb with COUNT training
# reviews per label, review N of each label "<Label> review N: …" (so every review says which one
# it is), named N_9.txt / N_2.txt as aclImdb names them; the test folders are made empty.
make_tiny_imdb() {
  mkdir -p "$1/aclImdb/train/pos" "$1/aclImdb/train/neg" "$1/aclImdb/test/pos" "$1/aclImdb/test/neg"
  i=0
  while [ "$i" -lt "$2" ]; do
    echo "Pos review $i: a fine film, well acted and well told." > "$1/aclImdb/train/pos/${i}_9.txt"
    echo "Neg review $i: a dull film, badly acted and badly told." > "$1/aclImdb/train/neg/${i}_2.txt"
    i=$((i + 1))
  done
}
