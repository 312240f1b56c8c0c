"""Name previews: Santa's greeting with the child's name, heard by the parent before the order is placed."""
