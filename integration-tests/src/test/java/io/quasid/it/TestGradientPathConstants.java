package io.quasid.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The rule of {@code spi.Scalars}: no main code of any module passes a Java number to an NDArray method
 * (the {@code op(Number)} overloads: {@code mul}, {@code div}, {@code maximum}, {@code pow}, {@code eq},
 * {@code gt}, ...), because DJL's PyTorch engine frees that constant while autograd may still need it.
 * Every module's sources are compiled and attributed here, so the check sees the method actually
 * called, not a pattern in the text. Allowed: {@code add} and {@code sub} (and their in-place forms),
 * whose backward keeps no operand ({@code TestScalars} proves it), and the classes below, which run
 * outside any gradient recording.
 */
final class TestGradientPathConstants {
    /** Ops whose backward does not read the constant. */
    private static final Set<String> SAFE_OPS = Set.of("add", "sub", "addi", "subi");

    /** Classes that never record gradients: the optimizer update (after backward) and k-means initialisation. */
    private static final Set<String> NO_GRADIENT_CLASSES = Set.of("io.quasid.core.training.AdamW", "io.quasid.rqvae.KMeans");

    private static final Path ROOT = Path.of(System.getProperty("quasid.root", "..")).toAbsolutePath().normalize();

    @Test
    void noMainCodePassesAJavaNumberToAnNdArrayOp() throws IOException {
        List<Path> sources = mainSources();
        assertThat(sources).as("sources under " + ROOT).hasSizeGreaterThan(100);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> violations = new ArrayList<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            String classpath = System.getProperty("quasid.cli.jar") + File.pathSeparator + System.getProperty("java.class.path")
                    + File.pathSeparator + Files.readString(Path.of(System.getProperty("quasid.spark.classpath"))).strip();
            JavacTask task = (JavacTask) javac.getTask(null, files, diagnostics, List.of("-proc:none", "-classpath", classpath), null,
                    files.getJavaFileObjectsFromPaths(sources));
            Iterable<? extends CompilationUnitTree> units = task.parse();
            task.analyze();
            Trees trees = Trees.instance(task);
            TypeMirror ndArray = task.getElements().getTypeElement("ai.djl.ndarray.NDArray").asType();
            TypeMirror number = task.getElements().getTypeElement("java.lang.Number").asType();
            for (CompilationUnitTree unit : units) {
                new TreePathScanner<Void, Void>() {
                    @Override
                    public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                        Element called = trees.getElement(getCurrentPath());
                        if (called instanceof ExecutableElement method && !SAFE_OPS.contains(method.getSimpleName().toString())
                                && task.getTypes().isSubtype(task.getTypes().erasure(method.getEnclosingElement().asType()), ndArray)
                                && method.getParameters().stream().map(VariableElement::asType).anyMatch(t -> task.getTypes().isSameType(t, number))
                                && !NO_GRADIENT_CLASSES.contains(outermostClass(getCurrentPath().getCompilationUnit(), trees))) {
                            long line = unit.getLineMap().getLineNumber(trees.getSourcePositions().getStartPosition(unit, call));
                            violations.add(ROOT.relativize(Path.of(unit.getSourceFile().toUri())) + ":" + line + ": " + call);
                        }
                        return super.visitMethodInvocation(call, unused);
                    }
                }.scan(unit, null);
            }
        }
        List<String> errors = diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).map(Object::toString).toList();
        assertThat(errors).as("every source attributes, so no call goes unchecked").isEmpty();
        assertThat(violations).as("NDArray ops given a Java number: use io.quasid.spi.Scalars (Scalars.mul(x, c), Scalars.of(x, c))").isEmpty();
    }

    private static String outermostClass(CompilationUnitTree unit, Trees trees) {
        return unit.getTypeDecls().stream().map(t -> trees.getElement(trees.getPath(unit, t))).filter(TypeElement.class::isInstance)
                .map(e -> ((TypeElement) e).getQualifiedName().toString()).findFirst().orElse("");
    }

    private static List<Path> mainSources() throws IOException {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> ROOT.relativize(p).toString().replace(File.separatorChar, '/').matches("[^/]+/src/main/java/.*"))
                    .sorted().toList();
        }
    }
}
