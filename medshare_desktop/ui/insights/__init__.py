"""The fairness and insight screen: charts painted with QPainter, printed and exported to PDF and CSV."""
